// Finding the client behind a lead by phone, Telegram user or email; creating one when nobody matches.
import { and, eq, or, sql } from "drizzle-orm";
import type { Executor } from "../../db/client";
import { clientIdentities, clients, type ClientIdentityKind } from "../../db/schema";

export interface ClientContact {
  name?: string;
  /** E.164. */
  phone?: string;
  email?: string;
  telegramUserId?: string;
}

/** Two transactions created the same new client at once; the loser retries and finds the winner's. */
export class ClientRaceError extends Error {
  constructor() {
    super("another transaction created this client at the same time");
    this.name = "ClientRaceError";
  }
}

// Strongest first: when identities point at different clients, the phone decides.
const identitiesOf = (contact: ClientContact) =>
  (
    [
      ["phone", contact.phone],
      ["telegram", contact.telegramUserId],
      ["email", contact.email],
    ] as const
  )
    .filter((pair): pair is readonly [ClientIdentityKind, string] => pair[1] !== undefined)
    .map(([kind, value]) => ({ kind, value }));

export interface ResolvedClient {
  id: string;
  name: string | null;
  phone: string | null;
  email: string | null;
}

export type KnownIdentities = Awaited<ReturnType<typeof findKnownIdentities>>;

/** The contact's identities that already exist, with their clients. Read-only, so it can share a round trip. */
export function findKnownIdentities(tx: Executor, contact: ClientContact) {
  const wanted = identitiesOf(contact);
  if (wanted.length === 0) throw new Error("a client needs at least one identity; the input schema guarantees it");
  return tx
    .select({
      kind: clientIdentities.kind,
      value: clientIdentities.value,
      clientId: clients.id,
      name: clients.name,
      phone: clients.phone,
      email: clients.email,
    })
    .from(clientIdentities)
    .innerJoin(clients, eq(clients.id, clientIdentities.clientId))
    .where(or(...wanted.map((w) => and(eq(clientIdentities.kind, w.kind), eq(clientIdentities.value, w.value)))));
}

/** The client for the contact: the one its strongest known identity points at, else a new one. */
export async function resolveClient(tx: Executor, contact: ClientContact, known: KnownIdentities): Promise<ResolvedClient> {
  const wanted = identitiesOf(contact);
  const match = wanted.map((w) => known.find((k) => k.kind === w.kind && k.value === w.value)).find(Boolean);
  if (!match) return createClient(tx, contact, wanted);

  const missing = wanted.filter((w) => !known.some((k) => k.kind === w.kind && k.value === w.value));
  if (missing.length > 0) {
    // An identity that already belongs to someone else stays theirs: clients are never merged silently.
    await tx
      .insert(clientIdentities)
      .values(missing.map((w) => ({ ...w, clientId: match.clientId })))
      .onConflictDoNothing();
  }
  const fills = {
    ...(match.name === null && contact.name ? { name: contact.name } : {}),
    ...(match.phone === null && contact.phone ? { phone: contact.phone } : {}),
    ...(match.email === null && contact.email ? { email: contact.email } : {}),
  };
  if (Object.keys(fills).length > 0) {
    await tx.update(clients).set({ ...fills, updatedAt: sql`now()` }).where(eq(clients.id, match.clientId));
  }
  return { id: match.clientId, name: match.name, phone: match.phone, email: match.email, ...fills };
}

async function createClient(
  tx: Executor,
  contact: ClientContact,
  wanted: { kind: ClientIdentityKind; value: string }[],
): Promise<ResolvedClient> {
  const [client] = await tx
    .insert(clients)
    .values({ name: contact.name, phone: contact.phone, email: contact.email })
    .returning({ id: clients.id });
  const claimed = await tx
    .insert(clientIdentities)
    .values(wanted.map((w) => ({ ...w, clientId: client!.id })))
    .onConflictDoNothing()
    .returning({ kind: clientIdentities.kind });
  if (claimed.length < wanted.length) throw new ClientRaceError();
  return { id: client!.id, name: contact.name ?? null, phone: contact.phone ?? null, email: contact.email ?? null };
}
