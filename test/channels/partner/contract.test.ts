// The partner channel runs the shared channel contract: signed leads are stored once, forged ones never.
import { newSigningSecret } from "../../../channels/partner/signing-secret";
import { runChannelContract } from "../contract";
import { startHub } from "../../support/hub";
import { postSignedLead } from "./support";

runChannelContract("partner", async () => {
  const t = await startHub();
  const partner = await t.createPartner();
  const code = String(partner.code);
  const secret = String(partner.signing_secret);
  // Well formed, but not the partner's: the forgery fails on the signature itself.
  const wrongSecret = newSigningSecret();
  // The same id always carries the same lead, so a redelivery is a true repeat.
  const lead = (id: string) => ({
    client: { name: "Contract", email: `${id}@example.com` },
    message: `lead ${id}`,
    party_size: 2,
  });
  return {
    t,
    harness: {
      deliver: (id) => postSignedLead(t, code, secret, id, lead(id)),
      forge: (id) => postSignedLead(t, code, wrongSecret, id, lead(id)),
    },
  };
});
