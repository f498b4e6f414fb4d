import { runChannelContract } from "../contract";
import { startHub } from "../../support/hub";

const SECRET = "0x4AAAAAAAcontract-secret";

runChannelContract("web_form", async () => {
  const t = await startHub({
    turnstile: { secret: SECRET },
    env: { TRUST_PROXY_HOPS: "1", WEB_FORM_RATE_LIMIT_MAX: "1000" },
  });
  const post = (id: string, token: string) =>
    t.request("POST", "/forms/inquiry", {
      key: null,
      headers: { "X-Forwarded-For": "203.0.113.7" },
      body: {
        submission_id: id,
        name: "Ann Lee",
        email: `${id}@example.co.uk`,
        message: "A table for four on Friday",
        "cf-turnstile-response": token,
      },
    });
  return {
    t,
    // The same token both times, as a browser's double submit sends it: the second is spent at Turnstile already.
    harness: { deliver: (id) => post(id, `pass-${id}`), forge: (id) => post(id, `forged-${id}`) },
  };
});
