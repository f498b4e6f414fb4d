// The phone channel's HTTP entry (POST /inquiries with an operator's key) runs the shared channel contract.
// Its other entry, the operator's /phone command in the Telegram bot, is tested in
// test/channels/telegram/operators.test.ts.
import { runChannelContract } from "../contract";
import { startHub } from "../../support/hub";

runChannelContract("phone", async () => {
  const t = await startHub();
  const operator = await t.createUser("operator");
  const call = (id: string, key: string) =>
    t.request("POST", "/inquiries", {
      key,
      headers: { "Idempotency-Key": `call-${id}` },
      body: {
        source: "phone",
        client: { phone: "+44 7912 345678", name: "Caller" },
        duration_seconds: 240,
        call_result: "answered_interested",
        operator_id: operator.id,
        webhook_event_id: `call-${id}`,
        message: "Wants a table for six on Saturday",
      },
    });
  return {
    t,
    harness: {
      deliver: (id) => call(id, operator.key),
      // A key nobody was given: the call is not logged.
      forge: (id) => call(id, `hub_${"x".repeat(43)}`),
    },
  };
});
