// Bodies shaped like what Telegram, Meta, Stripe and Revolut send, with nasty values where the hub reads them: signed
// properly (when the request says so) they get past the signature check into the code that parses and stores them.
import fc from "fast-check";
import { waIdOf, webhook } from "../../channels/whatsapp/cloud-fixtures";
import { EDGE_NUMBERS, extraFields, nastyString, nastyValue, ODD_DATES } from "./nasty";
import type { RealValues } from "./schema-values";

const now = () => Math.floor(Date.now() / 1000);
const either = <T>(fitting: fc.Arbitrary<T>, weight = 5) =>
  fc.oneof({ weight, arbitrary: fitting as fc.Arbitrary<unknown> }, { weight: 1, arbitrary: nastyValue });
const withExtra = <T extends object>(arb: fc.Arbitrary<T>) =>
  fc
    .tuple(arb, fc.oneof({ weight: 4, arbitrary: fc.constant({}) }, { weight: 1, arbitrary: extraFields }))
    .map(([value, extra]) => ({ ...value, ...extra }));

/** Telegram updates: texts and commands from customers and the linked operator, button taps, files, edits. */
export function telegramUpdates(
  real: RealValues,
  chats: { customers: number[]; operator: number },
): fc.Arbitrary<unknown> {
  const reference = fc.oneof(fc.constantFrom(...real.inquiry!, ...real.booking!), nastyString);
  const text = fc.oneof(
    { weight: 3, arbitrary: nastyString },
    {
      weight: 1,
      arbitrary: fc.constantFrom(
        "/start",
        "/help",
        "/queue",
        "/sla",
        "/notify on",
        "/notify off",
        "/link",
        "/phone",
        "A table for two on Friday at 7pm",
      ),
    },
    {
      weight: 3,
      arbitrary: fc
        .tuple(
          fc.constantFrom("/link", "/phone", "/inquiry", "/take", "/reply", "/notify", "/start"),
          reference,
          nastyString,
        )
        .map((parts) => parts.join(" ")),
    },
  );
  const chat = fc.oneof(fc.constantFrom(...chats.customers, chats.operator), fc.integer({ min: 1, max: 2 ** 40 }));
  const updateId = fc.oneof(
    { weight: 9, arbitrary: fc.integer({ min: 10_000_000, max: 2 ** 31 }) },
    { weight: 1, arbitrary: fc.constantFrom(0, -1, 2 ** 53 + 1, 1.5) },
  );
  const date = either(fc.constant(now()), 8);
  const message = (chatId: number, content: Record<string, unknown>, messageDate: unknown) => ({
    message_id: Math.abs(chatId % 1_000_000) + 1,
    from: { id: chatId, is_bot: false, first_name: "Ann", language_code: "en" },
    chat: { id: chatId, type: "private", first_name: "Ann" },
    date: messageDate,
    ...content,
  });
  const content = fc.oneof(
    {
      weight: 5,
      arbitrary: text.map((t) => ({
        text: t,
        ...(t.startsWith("/")
          ? { entities: [{ type: "bot_command", offset: 0, length: t.split(" ")[0]!.length }] }
          : {}),
      })),
    },
    {
      weight: 1,
      arbitrary: fc.tuple(nastyString, either(fc.integer({ min: 0, max: 30_000_000 }))).map(([caption, size]) => ({
        caption,
        photo: [{ file_id: "no-such-file", file_unique_id: "u1", width: 10, height: 10, file_size: size }],
      })),
    },
    {
      weight: 1,
      arbitrary: fc.tuple(nastyString, nastyString).map(([name, mime]) => ({
        document: { file_id: "no-such-file", file_unique_id: "u2", file_name: name, mime_type: mime },
      })),
    },
    {
      weight: 1,
      arbitrary: fc
        .tuple(either(fc.constant("+447911123456")), nastyString)
        .map(([phone, name]) => ({ contact: { phone_number: phone, first_name: name } })),
    },
  );
  const callbackData = fc.oneof(
    fc
      .tuple(fc.constantFrom("accept", "decline"), fc.oneof(fc.constantFrom(...real.booking!), fc.uuid()))
      .map(([action, id]) => `booking:${action}:${id}`),
    nastyString,
  );
  return fc.oneof(
    {
      weight: 6,
      arbitrary: fc.tuple(updateId, chat, content, date, fc.boolean()).map(([id, c, body, d, edited]) => ({
        update_id: id,
        [edited ? "edited_message" : "message"]: message(c, body, d),
      })),
    },
    {
      weight: 2,
      arbitrary: fc.tuple(updateId, chat, callbackData).map(([id, c, data]) => ({
        update_id: id,
        callback_query: {
          id: `cb${id}`,
          from: { id: c, is_bot: false, first_name: "Ann" },
          chat_instance: `ci${c}`,
          data,
          message: message(c, { text: "offer" }, now()),
        },
      })),
    },
    { weight: 1, arbitrary: withExtra(updateId.map((id) => ({ update_id: id }))) },
  );
}

/** WhatsApp Cloud webhooks: messages of every type with nasty fields, and delivery receipts. */
export function whatsappWebhooks(): fc.Arbitrary<unknown> {
  const messageExtra = fc.oneof(
    { weight: 4, arbitrary: fc.constant({}) },
    { weight: 1, arbitrary: fc.record({ timestamp: nastyValue }) },
    {
      weight: 1,
      arbitrary: fc.tuple(fc.uuid(), nastyString).map(([id, title]) => ({
        interactive: { type: "button_reply", button_reply: { id: `booking:accept:${id}`, title } },
      })),
    },
    {
      weight: 1,
      arbitrary: fc
        .tuple(either(fc.double({ noNaN: true })), nastyString)
        .map(([latitude, name]) => ({ location: { latitude, longitude: 0, name } })),
    },
    { weight: 1, arbitrary: nastyString.map((caption) => ({ image: { id: "media-1", caption } })) },
    { weight: 1, arbitrary: extraFields },
  );
  const message = fc.record({
    id: fc.oneof(
      fc.string({ minLength: 1, maxLength: 20 }).map((s) => `wamid.${s}`),
      nastyString,
    ),
    from: fc.oneof(fc.constantFrom(waIdOf("a"), waIdOf("b"), "447911123456"), nastyString),
    type: fc.oneof(
      fc.constantFrom("text", "image", "interactive", "button", "location", "audio", "reaction", "unsupported"),
      nastyString,
    ),
    text: nastyString,
    extra: messageExtra,
  });
  const status = withExtra(
    fc.record({
      id: fc.oneof(fc.constantFrom("wamid.out1", "wamid.out2"), nastyString),
      status: fc.oneof(fc.constantFrom("sent", "delivered", "read", "failed"), nastyString),
      timestamp: fc.oneof(fc.constant(String(now())), fc.constantFrom("99999999999999", "-1", "1e308"), nastyString),
      recipient_id: fc.oneof(fc.constant(waIdOf("a")), nastyString),
    }),
  );
  return fc.oneof(
    {
      weight: 6,
      arbitrary: fc
        .tuple(fc.array(message, { maxLength: 2 }), fc.array(status, { maxLength: 2 }))
        .map(([messages, statuses]) => webhook(messages, statuses)),
    },
    {
      weight: 1,
      arbitrary: withExtra(
        fc.record({ object: either(fc.constant("whatsapp_business_account")), entry: either(fc.constant([])) }),
      ),
    },
  );
}

/** Stripe events of the types the hub acts on, about real and made-up sessions and payments. */
export function stripeEvents(real: RealValues): fc.Arbitrary<unknown> {
  const type = fc.oneof(
    {
      weight: 5,
      arbitrary: fc.constantFrom(
        "checkout.session.completed",
        "checkout.session.expired",
        "checkout.session.async_payment_failed",
        "checkout.session.async_payment_succeeded",
        "payment_intent.payment_failed",
        "charge.refunded",
        "customer.created",
      ),
    },
    { weight: 1, arbitrary: nastyString },
  );
  const object = withExtra(
    fc.record({
      id: fc.oneof(fc.constantFrom(...real.session!), fc.constant("cs_test_nosuchsession"), nastyValue),
      object: fc.constantFrom("checkout.session", "payment_intent", "charge"),
      metadata: either(fc.record({ payment_id: fc.oneof(fc.constantFrom(...real.payment!), fc.uuid(), nastyValue) })),
      payment_status: fc.constantFrom("paid", "unpaid", "no_payment_required"),
      payment_intent: either(fc.constantFrom("pi_nosuchintent", null)),
      amount_total: fc.constantFrom(...EDGE_NUMBERS),
      currency: fc.oneof(fc.constant("gbp"), nastyString),
      refunded: fc.boolean(),
      created: fc.oneof(fc.constant(now()), fc.constantFrom(...EDGE_NUMBERS)),
    }),
  );
  return fc.oneof(
    {
      weight: 6,
      arbitrary: fc
        .tuple(
          fc.oneof(
            fc.string({ minLength: 1, maxLength: 24 }).map((s) => `evt_${s}`),
            nastyString,
          ),
          type,
          object,
        )
        .map(([id, t, o]) => ({ id, object: "event", type: t, created: now(), livemode: false, data: { object: o } })),
    },
    { weight: 1, arbitrary: withExtra(fc.record({ id: nastyValue, type: nastyValue, data: nastyValue })) },
  );
}

/** Revolut order events, about real and made-up orders. */
export function revolutEvents(real: RealValues): fc.Arbitrary<unknown> {
  return withExtra(
    fc.record({
      event: fc.oneof(
        fc.constantFrom(
          "ORDER_COMPLETED",
          "ORDER_FAILED",
          "ORDER_CANCELLED",
          "ORDER_AUTHORISED",
          "ORDER_PAYMENT_DECLINED",
          "PAYOUT_COMPLETED",
        ),
        nastyValue,
      ),
      order_id: fc.oneof(fc.constantFrom(...real.order!), fc.uuid(), nastyValue),
      merchant_order_ext_ref: fc.oneof(fc.constantFrom(...real.booking!), nastyValue),
      timestamp: fc.constantFrom(...ODD_DATES),
    }),
  );
}
