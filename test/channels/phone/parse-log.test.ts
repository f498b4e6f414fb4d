// Reading `/phone <phone> <duration> <result> [note]`.
import { describe, expect, it } from "vitest";
import { parseCallResult, parseDuration, parsePhoneLog } from "../../../channels/phone";

const operatorId = "3f2b8c1e-5a4d-4e6f-9a7b-1c2d3e4f5a6b";

describe("parsePhoneLog", () => {
  it("reads durations written several ways", () => {
    expect([
      parseDuration("90s"),
      parseDuration("5m"),
      parseDuration("5min"),
      parseDuration("1h5m"),
      parseDuration("1h"),
      parseDuration("4:30"),
      parseDuration("12"),
    ]).toEqual([90, 300, 300, 3900, 3600, 270, 720]);
    for (const bad of ["", "soon", "5x", "25h", "1:75", "-5"]) expect(parseDuration(bad), bad).toBeUndefined();
  });

  it("reads call results by their names and short aliases", () => {
    expect(parseCallResult("interested")).toBe("answered_interested");
    expect(parseCallResult("Not-Interested")).toBe("answered_not_interested");
    expect(parseCallResult("callback")).toBe("callback_requested");
    expect(parseCallResult("voicemail")).toBe("voicemail");
    expect(parseCallResult("maybe")).toBeUndefined();
  });

  it("turns a log into a phone inquiry input, taking a number written with spaces", () => {
    expect(parsePhoneLog("07911 123456 5m interested Table for 6, Friday", operatorId)).toEqual({
      ok: true,
      input: {
        source: "phone",
        client: { phone: "+447911123456" },
        duration_seconds: 300,
        call_result: "answered_interested",
        operator_id: operatorId,
        message: "Table for 6, Friday",
      },
    });
    expect(parsePhoneLog("+44 7911 123456 90s no_answer", operatorId)).toMatchObject({
      ok: true,
      input: { client: { phone: "+447911123456" }, duration_seconds: 90 },
    });
  });

  it("names what is wrong", () => {
    expect(parsePhoneLog("", operatorId)).toEqual({
      ok: false,
      problem: "Give the caller's number, the call's duration and its result.",
    });
    expect(parsePhoneLog("12345 5m interested", operatorId)).toEqual({
      ok: false,
      problem: '"12345" is not a phone number.',
    });
    expect(parsePhoneLog("07911123456 soon interested", operatorId)).toEqual({
      ok: false,
      problem: '"soon" is not a duration.',
    });
    expect(parsePhoneLog("07911123456 5m perhaps", operatorId)).toEqual({
      ok: false,
      problem: '"perhaps" is not a call result.',
    });
  });
});
