// Reports (/console/reports, manager and above): the daily figures per source for a chosen range of London dates,
// as four charts drawn on the server, the figures in a table, and the same rows as a CSV download.
import type { Context } from "hono";
import type { InquirySource } from "../../../db/schema";
import { HubError, invalid } from "../../core/errors";
import type { AppDeps } from "../../http/context";
import { type DailyReport, dailyReport, dailyReportCsv, pounds, reportFileName, reportRange } from "../../metrics";
import { INQUIRY_SOURCES } from "../../sla";
import type { ConsoleApp } from "../app";
import { Legend, LineChart, type Series } from "../charts";
import { renderPage } from "../responses";
import { consoleRole } from "../session";

const SOURCE_LABELS: Record<InquirySource, string> = {
  web_form: "Web form",
  whatsapp: "WhatsApp",
  telegram: "Telegram",
  phone: "Phone",
  partner: "Partner",
};

const money = (pence: number) => (pence < 0 ? `−£${pounds(-pence)}` : `£${pounds(pence)}`);
const percent = (rate: number | null) => (rate === null ? "–" : `${Math.round(rate * 1000) / 10}%`);

/** The range and source asked for in the query string; throws `invalid` naming the field. */
function asked(c: Context, now: Date) {
  const query = c.req.query();
  const source = query.source || undefined;
  if (source !== undefined && !(INQUIRY_SOURCES as readonly string[]).includes(source))
    throw invalid("source", `must be one of ${INQUIRY_SOURCES.join(", ")}`);
  const range = reportRange({ from: query.from || undefined, to: query.to || undefined }, now);
  return { range, source: (source as InquirySource | undefined) ?? null };
}

const queryOf = (report: Pick<DailyReport, "from" | "to" | "source">) =>
  new URLSearchParams({ from: report.from, to: report.to, ...(report.source ? { source: report.source } : {}) });

function RangeForm(props: { from?: string; to?: string; source?: string | null }) {
  return (
    <form method="get" action="/console/reports" class="inline-form card" aria-label="Report range">
      <div>
        <label for="from">From (London date)</label>
        <input id="from" name="from" type="date" value={props.from} required />
      </div>
      <div>
        <label for="to">To, included</label>
        <input id="to" name="to" type="date" value={props.to} required />
      </div>
      <div>
        <label for="source">Source</label>
        <select id="source" name="source">
          <option value="" selected={!props.source}>
            All sources
          </option>
          {INQUIRY_SOURCES.map((s) => (
            <option value={s} selected={props.source === s}>
              {SOURCE_LABELS[s]}
            </option>
          ))}
        </select>
      </div>
      <div>
        <button type="submit">Show</button>
      </div>
    </form>
  );
}

function ReportView(props: { report: DailyReport }) {
  const { report } = props;
  const sources = report.source ? [report.source] : INQUIRY_SOURCES;
  const days = [...new Set(report.items.map((i) => i.date_london))];
  const seriesOf = (pick: (i: DailyReport["items"][number]) => number): Series[] =>
    sources.map((s) => ({
      key: s,
      label: SOURCE_LABELS[s],
      values: report.items.filter((i) => i.source === s).map(pick),
    }));
  const span = `from ${report.from} to ${report.to}`;
  const which = report.source ? SOURCE_LABELS[report.source] : "each source";
  const t = report.totals;
  return (
    <>
      <section class="card" aria-labelledby="totals-heading">
        <h2 id="totals-heading">Totals {span}</h2>
        <dl class="facts">
          <dt>Inquiries</dt>
          <dd>{t.total_count}</dd>
          <dt>Conversions</dt>
          <dd>{t.converted_count}</dd>
          <dt>Conversion rate</dt>
          <dd>{percent(t.conversion_rate)}</dd>
          <dt>Net revenue</dt>
          <dd>{money(t.revenue)}</dd>
          <dt>No-shows</dt>
          <dd>{t.no_show_count}</dd>
        </dl>
        <p>
          <a href={`/console/reports.csv?${queryOf(report)}`} download={reportFileName(report)}>
            Download CSV
          </a>
        </p>
      </section>
      <section class="card" aria-labelledby="charts-heading">
        <h2 id="charts-heading">Per day</h2>
        <Legend series={sources.map((s) => ({ key: s, label: SOURCE_LABELS[s] }))} />
        <LineChart
          id="inquiries"
          title="Inquiries per day"
          description={`Inquiries received per London day ${span}, one line for ${which}. The table below has every figure.`}
          days={days}
          series={seriesOf((i) => i.total_count)}
        />
        <LineChart
          id="conversions"
          title="Conversions per day"
          description={`Inquiries whose first payment was paid, per London day ${span}, one line for ${which}.`}
          days={days}
          series={seriesOf((i) => i.converted_count)}
        />
        <LineChart
          id="revenue"
          title="Net revenue per day (£)"
          description={`Payments less refunds in pounds, per London day ${span}, one line for ${which}.`}
          days={days}
          series={seriesOf((i) => i.revenue)}
          format={money}
          least={100}
        />
        <LineChart
          id="no-shows"
          title="No-shows per day"
          description={`Bookings marked no-show, per London day of their start ${span}, one line for ${which}.`}
          days={days}
          series={seriesOf((i) => i.no_show_count)}
        />
      </section>
      <section class="card" aria-labelledby="table-heading">
        <h2 id="table-heading">Figures</h2>
        {/* Focusable, so a keyboard can scroll a table wider than the screen. */}
        <section class="table-scroll" tabindex={0} aria-label="Figures per day and source">
          <table class="report-table">
            <caption class="muted small">Per London day and source {span}</caption>
            <thead>
              <tr>
                <th scope="col">Date</th>
                <th scope="col">Source</th>
                <th scope="col">Inquiries</th>
                <th scope="col">Conversions</th>
                <th scope="col">Rate</th>
                <th scope="col">Net revenue</th>
                <th scope="col">No-shows</th>
              </tr>
            </thead>
            <tbody>
              {report.items.map((i) => (
                <tr>
                  <td>{i.date_london}</td>
                  <td>{SOURCE_LABELS[i.source]}</td>
                  <td>{i.total_count}</td>
                  <td>{i.converted_count}</td>
                  <td>{percent(i.conversion_rate)}</td>
                  <td>{money(i.revenue)}</td>
                  <td>{i.no_show_count}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </section>
      </section>
    </>
  );
}

export function registerReportsPage(deps: AppDeps, app: ConsoleApp) {
  app.get("/reports", consoleRole("manager"), async (c) => {
    const query = c.req.query();
    let request: ReturnType<typeof asked>;
    try {
      request = asked(c, deps.now());
    } catch (error) {
      if (!(error instanceof HubError)) throw error;
      return renderPage(
        c,
        { title: "Reports", active: "reports", status: 400, error: error.message },
        <RangeForm from={query.from} to={query.to} source={query.source} />,
      );
    }
    const report = await dailyReport(deps.db, request.range, request.source);
    return renderPage(
      c,
      { title: "Reports", active: "reports" },
      <>
        <p class="muted small">
          Counted by London date: inquiries on the day they arrived, conversions on the day of the first payment,
          revenue net of refunds on the day each was made, no-shows on the day the booking was to start.
        </p>
        <RangeForm from={report.from} to={report.to} source={report.source} />
        <ReportView report={report} />
      </>,
    );
  });

  // The same rows as GET /reports/daily with Accept: text/csv, for the signed-in manager (the page's cookie).
  app.get("/reports.csv", consoleRole("manager"), async (c) => {
    const request = asked(c, deps.now());
    const report = await dailyReport(deps.db, request.range, request.source);
    return c.body(dailyReportCsv(report), 200, {
      "Content-Type": "text/csv; charset=utf-8",
      "Content-Disposition": `attachment; filename="${reportFileName(report)}"`,
    });
  });
}
