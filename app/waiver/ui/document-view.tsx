// The waiver or the disclosure as an accessible HTML document: real headings, paragraphs, lists and
// tables with header cells, in reading order. The same blocks the PDF is laid out from.
import { type Block, JOB_COLUMNS, jobCells, SET_COLUMNS, setCells } from "../document";

function Table({ columns, rows, caption }: { columns: { header: string }[]; rows: string[][]; caption: string }) {
  return (
    <div className="table-wrap">
      <table>
        <caption className="sr-only">{caption}</caption>
        <thead>
          <tr>
            {columns.map((column) => (
              <th key={column.header} scope="col">
                {column.header}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {rows.map((cells, index) => (
            <tr key={index}>
              {cells.map((cell, cellIndex) => (cellIndex === 0 ? <th key={cellIndex} scope="row">{cell}</th> : <td key={cellIndex}>{cell}</td>))}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

/** Lays out blocks; the title becomes the page's h1 unless `titleLevel` says otherwise. */
export function DocumentView({ blocks, titleLevel = 1, meta }: { blocks: Block[]; titleLevel?: 1 | 2; meta?: React.ReactNode }) {
  const Title = titleLevel === 1 ? "h1" : "h2";
  const Section = titleLevel === 1 ? "h2" : "h3";
  return (
    <div className="document">
      {blocks.map((block, index) => {
        switch (block.kind) {
          case "title":
            return (
              <div key={index}>
                <Title>{block.text}</Title>
                {meta}
              </div>
            );
          case "heading":
            return <Section key={index}>{block.text}</Section>;
          case "paragraph":
            return <p key={index}>{block.text}</p>;
          case "list":
            return (
              <ul key={index}>
                {block.items.map((item) => (
                  <li key={item}>{item}</li>
                ))}
              </ul>
            );
          case "backup-jobs":
            return <Table key={index} columns={JOB_COLUMNS} rows={block.rows.map(jobCells)} caption="Backup jobs released" />;
          case "backup-sets":
            return block.rows.length === 0 ? (
              <p key={index} className="muted">
                The MSP holds no historical backup sets for the Customer.
              </p>
            ) : (
              <Table key={index} columns={SET_COLUMNS} rows={block.rows.map(setCells)} caption="Historical backup sets and their agreed disposition" />
            );
        }
      })}
    </div>
  );
}
