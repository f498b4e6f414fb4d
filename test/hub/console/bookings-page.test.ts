// The console's bookings page without a browser: on the autumn clock-change day the repeated hour is told apart by
// its zone, and a booking running past midnight shows the next day's date at its end.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { signInByRequest } from "../../support/console";
import { startHub, type TestHub } from "../../support/hub";

describe("the console's bookings page", () => {
  let t: TestHub;
  let manager: { id: string; key: string };
  beforeAll(async () => {
    t = await startHub();
    manager = await t.createUser("manager");
  });
  afterAll(() => t?.stop());

  const api = async (method: string, path: string, body?: unknown) => {
    const res = await t.request(method, path, { key: manager.key, body });
    if (res.status >= 300) throw new Error(`${method} ${path}: ${res.status} ${JSON.stringify(res.body)}`);
    return res.body;
  };
  const hold = async (resourceId: string, startAt: string, minutes: number) => {
    const lead = await api("POST", "/inquiries", { source: "web_form", client: { email: "late@example.com" } });
    return api("POST", "/bookings", {
      inquiry_id: lead.id,
      resource_id: resourceId,
      start_at: startAt,
      duration_minutes: minutes,
      deposit_amount: 0,
    });
  };

  it("says GMT or BST on the day the clocks go back, and the next day's date past midnight", async () => {
    const room = await api("POST", "/resources", { name: "Clock Room", capacity: 4 });
    const first = await hold(room.id, "2027-10-31T01:30+01:00", 20);
    const second = await hold(room.id, "2027-10-31T01:30+00:00", 20);
    const late = await hold(room.id, "2027-10-31T23:30", 60);
    const session = await signInByRequest(t.hub, (await t.createUser("operator")).key);
    const res = await session.request("GET", "/console/bookings?date=2027-10-31");
    expect(res.status).toBe(200);
    const text = (await res.text()).replace(/<[^>]+>/g, "");
    expect(text).toContain("Sunday 31 October 2027");
    expect(text).toContain("the clocks change today");
    expect(text).toContain(`01:30 BST–01:50 BST${first.reference}`);
    expect(text).toContain(`01:30 GMT–01:50 GMT${second.reference}`);
    expect(text).toContain(`23:30 GMT–Monday 1 November 00:30${late.reference}`);
  });
});
