// Finding the client behind a lead by phone, Telegram user or email; creating one when nobody matches.
import { randomUUID } from "node:crypto";
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

/**
 * What has to be written for the client: the one its strongest known identity points at (blank details filled,
 * identities it lacks attached), else a new client with every identity. The id of a new client is chosen here,
 * so that its writes can go out in the same round trip as the inquiry's.
 */
export interface ClientPlan {
  client: ResolvedClient;
  isNew: boolean;
  /** Identities to attach; for a new client, all of them. */
  attach: { kind: ClientIdentityKind; value: string }[];
  fills: Partial<Pick<ResolvedClient, "name" | "phone" | "email">>;
}

export function planClient(contact: ClientContact, known: KnownIdentities): ClientPlan {
  const wanted = identitiesOf(contact);
  const match = wanted.map((w) => known.find((k) => k.kind === w.kind && k.value === w.value)).find(Boolean);
  if (!match) {
    const client = {
      id: randomUUID(),
      name: contact.name ?? null,
      phone: contact.phone ?? null,
      email: contact.email ?? null,
    };
    return { client, isNew: true, attach: wanted, fills: {} };
  }
  const fills = {
    ...(match.name === null && contact.name ? { name: contact.name } : {}),
    ...(match.phone === null && contact.phone ? { phone: contact.phone } : {}),
    ...(match.email === null && contact.email ? { email: contact.email } : {}),
  };
  return {
    client: { id: match.clientId, name: match.name, phone: match.phone, email: match.email, ...fills },
    isNew: false,
    attach: wanted.filter((w) => !known.some((k) => k.kind === w.kind && k.value === w.value)),
    fills,
  };
}

/** The plan's writes, in the order they must reach the database (a new client before its identities). */
export function clientWrites(tx: Executor, plan: ClientPlan) {
  const { client } = plan;
  const upsert = plan.isNew
    ? tx.insert(clients).values({ id: client.id, name: client.name, phone: client.phone, email: client.email })
    : Object.keys(plan.fills).length > 0
      ? tx
          .update(clients)
          .set({ ...plan.fills, updatedAt: sql`now()` })
          .where(eq(clients.id, client.id))
      : undefined;
  // An identity that already belongs to someone else stays theirs: clients are never merged silently.
  const identities =
    plan.attach.length > 0
      ? tx
          .insert(clientIdentities)
          .values(plan.attach.map((w) => ({ ...w, clientId: client.id })))
          .onConflictDoNothing()
          .returning({ kind: clientIdentities.kind })
      : undefined;
  return { upsert, identities };
}

/** A new client whose identities another transaction claimed first is a race: the caller retries and finds theirs. */
export function assertClaimed(plan: ClientPlan, claimed: unknown[] | undefined): void {
  if (plan.isNew && (claimed?.length ?? 0) < plan.attach.length) throw new ClientRaceError();
}
