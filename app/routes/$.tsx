import { handle } from "~/http/handle.server";
import { NotFound } from "~/http/refusals.server";

// Any URL no other route claims: a plain 404 page, signed in or not.
export const loader = () =>
  handle(async () => {
    throw new NotFound("There is nothing at this address.");
  });

export default function NotFoundPage() {
  return null;
}
