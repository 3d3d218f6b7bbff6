// The signature input: draw on a canvas (mouse, finger or pen), or type — the typed alternative
// works with the keyboard alone and without JavaScript. The drawing travels as a PNG data URL in a
// hidden field; the server checks it and places it on the sealed PDF.
import { useCallback, useEffect, useRef, useState } from "react";

const INK = "#111827";

function SignatureCanvas({ onChange, describedBy }: { onChange: (dataUrl: string) => void; describedBy?: string }) {
  const canvasRef = useRef<HTMLCanvasElement>(null);
  const drawing = useRef(false);
  const [hasInk, setHasInk] = useState(false);

  // Match the bitmap to the displayed size and the screen's pixel density, so strokes stay sharp.
  useEffect(() => {
    const canvas = canvasRef.current;
    if (!canvas) return;
    const ratio = Math.max(1, Math.min(2, window.devicePixelRatio || 1));
    const { width, height } = canvas.getBoundingClientRect();
    canvas.width = Math.round(width * ratio);
    canvas.height = Math.round(height * ratio);
    const context = canvas.getContext("2d");
    if (!context) return;
    context.scale(ratio, ratio);
    context.lineWidth = 2.5;
    context.lineCap = "round";
    context.lineJoin = "round";
    context.strokeStyle = INK;
  }, []);

  const point = (event: React.PointerEvent<HTMLCanvasElement>) => {
    const rect = event.currentTarget.getBoundingClientRect();
    return { x: event.clientX - rect.left, y: event.clientY - rect.top };
  };

  const start = (event: React.PointerEvent<HTMLCanvasElement>) => {
    const context = event.currentTarget.getContext("2d");
    if (!context) return;
    event.currentTarget.setPointerCapture(event.pointerId);
    drawing.current = true;
    const { x, y } = point(event);
    context.beginPath();
    context.moveTo(x, y);
    // A dot for a tap, so that initials made of dots still show.
    context.lineTo(x + 0.1, y + 0.1);
    context.stroke();
  };

  const move = (event: React.PointerEvent<HTMLCanvasElement>) => {
    if (!drawing.current) return;
    const context = event.currentTarget.getContext("2d");
    if (!context) return;
    const { x, y } = point(event);
    context.lineTo(x, y);
    context.stroke();
  };

  const end = (event: React.PointerEvent<HTMLCanvasElement>) => {
    if (!drawing.current) return;
    drawing.current = false;
    setHasInk(true);
    onChange(event.currentTarget.toDataURL("image/png"));
  };

  const clear = () => {
    const canvas = canvasRef.current;
    const context = canvas?.getContext("2d");
    if (!canvas || !context) return;
    context.save();
    context.setTransform(1, 0, 0, 1, 0, 0);
    context.clearRect(0, 0, canvas.width, canvas.height);
    context.restore();
    setHasInk(false);
    onChange("");
  };

  return (
    <div className="signature-pad">
      <canvas
        ref={canvasRef}
        className={hasInk ? "signed" : undefined}
        aria-label="Signature pad: draw your signature here with a mouse, a finger or a pen"
        aria-describedby={describedBy}
        onPointerDown={start}
        onPointerMove={move}
        onPointerUp={end}
        onPointerCancel={end}
      />
      <div className="form-actions">
        <button type="button" className="button-secondary" onClick={clear} disabled={!hasInk}>
          Clear the drawing
        </button>
        <span className="small muted" aria-live="polite">
          {hasInk ? "Signature drawn." : "Nothing drawn yet."}
        </span>
      </div>
    </div>
  );
}

/** The method choice, the pad or the typed preview, and the hidden fields the form sends. */
export function SignatureField({ fullName, error }: { fullName: string; error?: string }) {
  const [method, setMethod] = useState<"drawn" | "typed">("drawn");
  const [image, setImage] = useState("");
  const onDrawn = useCallback((dataUrl: string) => setImage(dataUrl), []);
  const errorId = error ? "signature-error" : undefined;
  return (
    <div className="field">
      <fieldset className="method-choice" aria-describedby={errorId}>
        <legend>Your signature</legend>
        <label>
          <input type="radio" name="method" value="drawn" checked={method === "drawn"} onChange={() => setMethod("drawn")} />
          Draw it
        </label>
        <label>
          <input type="radio" name="method" value="typed" checked={method === "typed"} onChange={() => setMethod("typed")} />
          Type it: use my typed name as my signature
        </label>
      </fieldset>
      {method === "drawn" ? (
        <>
          <noscript>
            <p className="alert alert-warn">Drawing needs JavaScript. Choose “Type it” to sign with your typed name.</p>
          </noscript>
          <SignatureCanvas onChange={onDrawn} describedBy={errorId} />
          <input type="hidden" name="signatureImage" value={image} />
        </>
      ) : (
        <div>
          <p className="small muted">Your signature will read:</p>
          <div className="typed-signature" aria-live="polite">
            {fullName || "…"}
          </div>
        </div>
      )}
      {error ? (
        <span className="field-error" id={errorId} role="alert">
          {error}
        </span>
      ) : null}
    </div>
  );
}

/** The browser's IANA time zone, sent with the signature so the certificate shows the signer's local time. */
export function TimeZoneField() {
  const [zone, setZone] = useState("");
  useEffect(() => {
    setZone(Intl.DateTimeFormat().resolvedOptions().timeZone ?? "");
  }, []);
  return <input type="hidden" name="timeZone" value={zone} />;
}
