// Four eyes on a manual payment (rule 7) compare people, not rows: a manager may not make a link code for another
// manager, a Telegram account that changes hands is audited and the old chat told, and nobody approves a proof that
// came from a Telegram account that is or was theirs.
import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { BOOTSTRAP_ADMIN_ID } from "../../hub/auth/users";
import { newChatId, photoUpdate, textUpdate } from "../channels/telegram/updates";
import { startHub, type PaymentTestHub } from "../support/hub";
import { POLL } from "../support/setup/payments";

/** A real 1×1 PNG. */
const PNG = Buffer.from(
  "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==",
  "base64",
);
const OWN_TELEGRAM =
  "A proof of this payment came from a Telegram account that is or was linked to you: another manager must approve it.";
const MANAGER_FOR_MANAGER =
  "A manager may ask for a Telegram link code for themselves or an operator, never for another manager or an admin: they ask for their own, or an admin does.";

type Staff = { id: string; key: string };

describe("four eyes on manual payments", () => {
  let p: PaymentTestHub;
  let messageId = 0;
  let files = 0;

  beforeAll(async () => {
    // No payment provider is configured: every deposit falls to the manual provider at once.
    p = await startHub({ telegram: true, payments: { stripe: false, secondary: null } });
  });
  afterAll(async () => {
    await p?.stop();
  });

  const t = () => p;
  const codeFor = (userId: string, key: string) => t().request("POST", `/operators/${userId}/telegram-link`, { key });
  /** What the bot answered `text` sent from `chat` (notices landing meanwhile left out). */
  const say = async (chat: number, text: string) => {
    const before = p.telegram.textsIn(chat).length;
    expect((await p.telegram.post(textUpdate({ chatId: chat, messageId: ++messageId }, text))).status).toBe(200);
    return p.telegram
      .textsIn(chat)
      .slice(before)
      .filter((m) => !/^(New inquiry|Manual payment required\.)/.test(m))
      .join("\n");
  };
  /** A code made with `issuerKey` for `user`, sent as /link from `chat`: the bot's answer. */
  const link = async (user: Staff, chat: number, issuerKey: string) => {
    const code = await codeFor(user.id, issuerKey);
    expect(code.status).toBe(201);
    return say(chat, `/link ${code.body.code}`);
  };
  const approve = (paymentId: string, key: string) =>
    t().request("POST", `/payments/${paymentId}/approve`, { key, body: { note: "Seen on the statement" } });

  /** A booking's manual attempt, and the "Manual payment required" notice of it in `chat`. */
  const manualPayment = async (chat: number) => {
    const b = await p.payments.acceptedBooking();
    const [attempt] = await p.payments.attempts(b.bookingId, 1);
    expect(attempt).toMatchObject({ provider: "manual", status: "open" });
    const notice = () =>
      p.telegram.sent.find(
        (m) =>
          m.chat_id === String(chat) &&
          m.text.startsWith("Manual payment required.") &&
          m.text.includes(`${b.reference} · `),
      );
    await expect.poll(() => notice() !== undefined, POLL).toBe(true);
    const { message_id, text } = notice()!;
    // Telegram answers sendMessage a moment before the hub records the notice as sent.
    await expect
      .poll(
        async () =>
          (
            await p.rows<{ status: string }>(
              sql`select status from staff_notices where telegram_message_id = ${`${chat}:${message_id}`}`,
            )
          )[0]?.status,
        POLL,
      )
      .toBe("sent");
    return { ...b, paymentId: attempt.id as string, notice: { messageId: message_id, text } };
  };
  /** A photo of the transfer from `chat`, replying to the payment's notice there. */
  const sendProof = async (chat: number, payment: Awaited<ReturnType<typeof manualPayment>>) => {
    const fileId = `AgACAgQAAxkBAAIE${++files}`;
    p.telegram.addFile(fileId, Buffer.concat([PNG, Buffer.from(`#${files}`)]));
    const before = p.telegram.textsIn(chat).length;
    const update = photoUpdate({ chatId: chat, messageId: ++messageId }, fileId, {
      caption: "Transfer received, Barclays ref 77812",
      replyTo: payment.notice,
    });
    expect((await p.telegram.post(update)).status).toBe(200);
    expect(p.telegram.textsIn(chat).slice(before).join("\n")).toMatch(/^Proof saved for /);
  };
  const proofsOf = (paymentId: string) =>
    p.rows<{ uploaded_by: string; via: string; sender_telegram_user_id: string | null }>(
      sql`select uploaded_by::text, via, sender_telegram_user_id from payment_proofs where payment_id = ${paymentId}`,
    );

  it("stops the attack: a manager cannot link their Telegram to another manager, and a leaked code still cannot get a proof past them", async () => {
    const mallory = await t().createUser("manager", "Mallory Manager");
    const bob = await t().createUser("manager", "Bob Manager");
    const carol = await t().createUser("manager", "Carol Manager");
    const malloryChat = newChatId();
    const bobChat = newChatId();
    expect(await link(mallory, malloryChat, mallory.key)).toMatch(
      /^Linked: this Telegram account now acts for Mallory Manager \(manager\)/,
    );
    expect(await link(bob, bobChat, bob.key)).toMatch(/^Linked/);

    // The attack's first step: Mallory asks the hub for a code that links a Telegram account to Bob's staff account.
    const refused = await codeFor(bob.id, mallory.key);
    expect(refused.status).toBe(403);
    expect(refused.headers.get("content-type")).toBe("application/problem+json");
    expect(refused.body).toMatchObject({ status: 403, detail: MANAGER_FOR_MANAGER });
    const [codes] = await p.rows<{ n: number }>(
      sql`select count(*)::int as n from telegram_link_codes where user_id = ${bob.id}`,
    );
    expect(codes!.n).toBe(1); // Bob's own, nothing more

    // Suppose a code for Bob reaches Mallory's phone anyway (an admin made it): her Telegram now acts for Bob.
    expect(await link(bob, malloryChat, t().adminKey)).toMatch(
      /^Linked: this Telegram account now acts for Bob Manager \(manager\)\. It no longer acts for the account it was linked to before\./,
    );
    // Bob's own chat hears that another Telegram account now acts for him.
    await expect
      .poll(() => p.telegram.textsIn(bobChat).join("\n"), POLL)
      .toMatch(/This Telegram account no longer acts for your hub account/);

    // She sends a proof from Telegram, as a reply to the notice: it is stored as Bob's, from her Telegram account.
    const payment = await manualPayment(malloryChat);
    await sendProof(malloryChat, payment);
    expect(await proofsOf(payment.paymentId)).toEqual([
      { uploaded_by: bob.id, via: "telegram", sender_telegram_user_id: String(malloryChat) },
    ]);

    // Mallory cannot approve it: the Telegram account that sent it was hers. Nor can Bob: it is his account's proof.
    const own = await approve(payment.paymentId, mallory.key);
    expect(own.status).toBe(403);
    expect(own.headers.get("content-type")).toBe("application/problem+json");
    expect(own.body.detail).toBe(OWN_TELEGRAM);
    expect((await approve(payment.paymentId, bob.key)).body.detail).toBe(
      "You sent a proof of this payment: another manager must approve it.",
    );
    expect((await p.payments.list(payment.bookingId))[0].status).toBe("awaiting_approval");
    const approvals = await p.rows<{ n: number }>(
      sql`select count(*)::int as n from manual_payment_approvals where payment_id = ${payment.paymentId}`,
    );
    expect(approvals[0]!.n).toBe(0);

    // A third manager, who never held that Telegram account, approves it.
    expect(await approve(payment.paymentId, carol.key)).toMatchObject({
      status: 200,
      body: { status: "paid", approval: { approved_by: carol.id } },
    });
  });

  it("makes a link code for yourself, by an admin, or by a manager for an operator; refuses the rest with the reason", async () => {
    const admin = { id: BOOTSTRAP_ADMIN_ID, key: t().adminKey };
    const otherAdmin = await t().createUser("admin");
    const manager = await t().createUser("manager");
    const otherManager = await t().createUser("manager");
    const operator = await t().createUser("operator");
    const otherOperator = await t().createUser("operator");

    const allowed: [Staff, Staff][] = [
      [operator, operator],
      [manager, manager],
      [admin, admin],
      [admin, otherAdmin],
      [admin, manager],
      [admin, operator],
      [otherAdmin, admin],
      [manager, operator],
    ];
    for (const [issuer, target] of allowed) expect((await codeFor(target.id, issuer.key)).status).toBe(201);

    const refused: [Staff, Staff, string][] = [
      [manager, otherManager, MANAGER_FOR_MANAGER],
      [manager, otherAdmin, MANAGER_FOR_MANAGER],
      [manager, admin, MANAGER_FOR_MANAGER],
      [operator, otherOperator, "An operator may ask for a Telegram link code for themselves only."],
      [operator, manager, "An operator may ask for a Telegram link code for themselves only."],
    ];
    for (const [issuer, target, detail] of refused) {
      const res = await codeFor(target.id, issuer.key);
      expect(res.status).toBe(403);
      expect(res.headers.get("content-type")).toBe("application/problem+json");
      expect(res.body.detail).toBe(detail);
    }
  });

  it("audits a relink with both sides' ids and tells the account's previous chat through a staff notice", async () => {
    const olga = await t().createUser("operator", "Olga Operator");
    const pete = await t().createUser("operator", "Pete Operator");
    const olgaChat = newChatId();
    const olgaNewPhone = newChatId();
    const peteChat = newChatId();
    await link(olga, olgaChat, olga.key);
    await link(pete, peteChat, pete.key);

    // Olga moves her account to a new phone: the old chat is told, through the outbox like any staff notice.
    expect(await link(olga, olgaNewPhone, olga.key)).toMatch(
      /^Linked: this Telegram account now acts for Olga Operator \(operator\)\.\n/,
    );
    await expect
      .poll(() => p.telegram.textsIn(olgaChat).join("\n"), POLL)
      .toMatch(
        /^This Telegram account no longer acts for your hub account: another Telegram account was linked to it at \w{3} \d{1,2} \w{3} \d{4}, \d{2}:\d{2} (GMT|BST|UTC\+1)\. If you did not do this, tell an admin now\.$/m,
      );
    await expect
      .poll(
        async () =>
          p.rows(
            sql`select user_id::text, chat_id, kind::text, inquiry_id, status::text from staff_notices where chat_id = ${String(olgaChat)}`,
          ),
        POLL,
      )
      .toEqual([
        { user_id: olga.id, chat_id: String(olgaChat), kind: "telegram_relinked", inquiry_id: null, status: "sent" },
      ]);

    // Pete's Telegram account takes a code an admin made for Olga: it is moved from Pete's account to hers.
    expect(await link(olga, peteChat, t().adminKey)).toMatch(
      /It no longer acts for the account it was linked to before\./,
    );
    await expect
      .poll(() => p.telegram.textsIn(olgaNewPhone).join("\n"), POLL)
      .toMatch(/This Telegram account no longer acts for your hub account/);

    const audit = await p.rows<{
      action: string;
      actor_id: string;
      entity_id: string;
      before: unknown;
      after: unknown;
    }>(
      sql`select action, actor_id::text, entity_id, before, after from audit_log where action in ('operator.telegram_linked', 'operator.telegram_unlinked') and entity_id in (${olga.id}, ${pete.id}) order by id`,
    );
    expect(audit).toEqual([
      {
        action: "operator.telegram_linked",
        actor_id: olga.id,
        entity_id: olga.id,
        before: { telegram_user_id: null },
        after: { telegram_user_id: String(olgaChat) },
      },
      {
        action: "operator.telegram_linked",
        actor_id: pete.id,
        entity_id: pete.id,
        before: { telegram_user_id: null },
        after: { telegram_user_id: String(peteChat) },
      },
      {
        action: "operator.telegram_linked",
        actor_id: olga.id,
        entity_id: olga.id,
        before: { telegram_user_id: String(olgaChat) },
        after: { telegram_user_id: String(olgaNewPhone) },
      },
      {
        action: "operator.telegram_unlinked",
        actor_id: olga.id,
        entity_id: pete.id,
        before: { telegram_user_id: String(peteChat) },
        after: { telegram_user_id: null, moved_to_user_id: olga.id },
      },
      {
        action: "operator.telegram_linked",
        actor_id: olga.id,
        entity_id: olga.id,
        before: { telegram_user_id: String(olgaNewPhone) },
        after: { telegram_user_id: String(peteChat), taken_from_user_id: pete.id },
      },
    ]);

    // The links' history: every link and unlink, open ones without unlinked_at.
    const history = await p.rows<{ user_id: string; telegram_user_id: string; open: boolean }>(
      sql`select user_id::text, telegram_user_id, unlinked_at is null as open from staff_telegram_links where user_id in (${olga.id}, ${pete.id}) order by linked_at, id`,
    );
    expect(history).toEqual([
      { user_id: olga.id, telegram_user_id: String(olgaChat), open: false },
      { user_id: pete.id, telegram_user_id: String(peteChat), open: false },
      { user_id: olga.id, telegram_user_id: String(olgaNewPhone), open: false },
      { user_id: olga.id, telegram_user_id: String(peteChat), open: true },
    ]);
  });

  it("refuses the approval to whoever holds the Telegram account that sent the proof, even after it was re-linked elsewhere", async () => {
    const olga = await t().createUser("operator", "Olga Sender");
    const nina = await t().createUser("manager", "Nina Manager");
    const mark = await t().createUser("manager", "Mark Manager");
    const operatorTwo = await t().createUser("operator");
    const olgaChat = newChatId();
    await link(olga, olgaChat, olga.key);

    const payment = await manualPayment(olgaChat);
    await sendProof(olgaChat, payment);
    expect(await proofsOf(payment.paymentId)).toEqual([
      { uploaded_by: olga.id, via: "telegram", sender_telegram_user_id: String(olgaChat) },
    ]);

    // The phone that sent the proof now acts for Nina: she may not approve it.
    await link(nina, olgaChat, t().adminKey);
    expect((await approve(payment.paymentId, nina.key)).body).toMatchObject({ status: 403, detail: OWN_TELEGRAM });
    // Nor after the phone has moved on to somebody else and Nina linked a phone of her own.
    await link(operatorTwo, olgaChat, t().adminKey);
    await link(nina, newChatId(), nina.key);
    expect((await approve(payment.paymentId, nina.key)).body).toMatchObject({ status: 403, detail: OWN_TELEGRAM });

    expect((await approve(payment.paymentId, mark.key)).status).toBe(200);
  });
});
