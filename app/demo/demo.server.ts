export async function seedDemoIfEmpty(): Promise<{ adminEmail: string; setupUrl: string } | null> {
  return null;
}
