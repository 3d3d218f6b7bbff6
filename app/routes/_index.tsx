import { redirect } from "@remix-run/node";
import { handle } from "~/http/handle.server";

export const loader = () => handle(async () => redirect("/app"));
