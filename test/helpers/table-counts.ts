// What a refused request must leave as it was: the row count of every table and the audit head.
import { sql } from "drizzle-orm";
import { queryRows } from "../../db/client";
import { auditEvents } from "../../db/schema";
import { testDb } from "./database";

export interface TableCounts {
  counts: Record<string, number>;
  head: { seq: number; hash: string } | null;
}

let tables: string[] | null = null;

export async function tableCounts(): Promise<TableCounts> {
  tables ??= (
    await queryRows<{ table_name: string }>(
      testDb(),
      sql`select table_name from information_schema.tables where table_schema = 'public' and table_type = 'BASE TABLE' order by table_name`,
    )
  ).map((row) => row.table_name);
  const [counts] = await queryRows<Record<string, string | number>>(
    testDb(),
    sql.raw(`select ${tables.map((table) => `(select count(*) from "${table}") as "${table}"`).join(", ")}`),
  );
  const [head] = await testDb().select({ seq: auditEvents.seq, hash: auditEvents.hash }).from(auditEvents).orderBy(sql`${auditEvents.seq} desc`).limit(1);
  return { counts: Object.fromEntries(Object.entries(counts!).map(([table, count]) => [table, Number(count)])), head: head ?? null };
}
