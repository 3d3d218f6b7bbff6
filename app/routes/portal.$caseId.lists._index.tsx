import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { formatInstant } from "~/cases/format";
import { requireContact } from "~/http/guards.server";
import { handle } from "~/http/handle.server";
import { getListsSummary } from "~/lists/review.server";

export const loader = (args: LoaderFunctionArgs) =>
  handle(async () => {
    const session = await requireContact(args, { caseId: args.params.caseId });
    const lists = await getListsSummary({ caseId: session.case.id });
    return { caseId: session.case.id, timeZone: session.case.timeZone, isSigner: session.contact.role === "customer_signer", lists };
  });

export default function PortalLists() {
  const { caseId, timeZone, isSigner, lists } = useLoaderData<typeof loader>();
  return (
    <>
      <div className="page-header">
        <div>
          <h1>Hardware and subscriptions</h1>
          <p className="muted">
            {isSigner
              ? "Check who owns each item and when it is collected, and how each subscription is transferred or ended. Acknowledge each list, or tell us what is wrong."
              : "Who owns each item and when it is collected, and how each subscription is transferred or ended."}
          </p>
        </div>
      </div>
      <div className="grid-2">
        {lists.map((list) => (
          <section key={list.kind} className="card" aria-labelledby={`${list.kind}-heading`}>
            <h2 id={`${list.kind}-heading`}>{list.label}</h2>
            {list.version === null ? (
              <p className="muted">Not published yet.</p>
            ) : (
              <>
                <p>
                  {`Version ${list.version}, ${list.itemCount} item${list.itemCount === 1 ? "" : "s"}, published ${formatInstant(list.publishedAt!, timeZone)}.`}
                </p>
                <p>
                  {list.acknowledgedAt ? (
                    <span className="badge badge-ok">{`Acknowledged by ${list.acknowledgedBy}`}</span>
                  ) : (
                    <span className="badge badge-warn">Awaiting acknowledgement</span>
                  )}{" "}
                  {list.openDisputes > 0 ? <span className="badge badge-info">{`${list.openDisputes} comment${list.openDisputes === 1 ? "" : "s"} awaiting our answer`}</span> : null}
                </p>
                <Link className="button" to={`/portal/${caseId}/lists/${list.kind}`}>
                  {isSigner && !list.acknowledgedAt ? `Review the ${list.label.toLowerCase()}` : `View the ${list.label.toLowerCase()}`}
                </Link>
              </>
            )}
          </section>
        ))}
      </div>
    </>
  );
}

export const meta: MetaFunction = () => [{ title: "Lists · Your handover" }];
