// Any URL no other route claims: a plain 404 page, signed in or not.
export function loader() {
  throw new Response("There is nothing at this address.", { status: 404 });
}

export default function NotFound() {
  return null;
}
