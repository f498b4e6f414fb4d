// Hard rule 10: the channel weights, and the priority that grows with them.
import { describe, expect, it } from "vitest";
import { INQUIRY_SOURCES } from "../../db/schema";
import { priorityFor, SOURCE_WEIGHTS } from "../../hub/pipeline/priority";

describe("priority by channel weight", () => {
  it("weighs the five sources as the user's rule says", () => {
    expect(SOURCE_WEIGHTS).toEqual({ web_form: 1.0, whatsapp: 1.1, telegram: 1.1, phone: 1.2, partner: 0.9 });
    expect(Object.keys(SOURCE_WEIGHTS).sort()).toEqual([...INQUIRY_SOURCES].sort());
  });

  it("gives round(100 × weight), an integer, that orders sources as their weights do", () => {
    expect(Object.fromEntries(INQUIRY_SOURCES.map((s) => [s, priorityFor(s)]))).toEqual({
      web_form: 100,
      whatsapp: 110,
      telegram: 110,
      phone: 120,
      partner: 90,
    });
    for (const a of INQUIRY_SOURCES) {
      for (const b of INQUIRY_SOURCES) {
        expect(Math.sign(priorityFor(a) - priorityFor(b))).toBe(Math.sign(SOURCE_WEIGHTS[a] - SOURCE_WEIGHTS[b]));
      }
    }
  });
});
