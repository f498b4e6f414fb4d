// Line charts drawn on the server as SVG: one line per series over the days of a range. No script, no style
// attribute (the console's CSP): presentation attributes only. Each chart is an image with a title and a description;
// the figures themselves are in the table the page puts below.

export interface Series {
  key: string;
  label: string;
  /** One value per day, in order. */
  values: number[];
}

/** Five colours at 3:1 or more on white, each with its own dash: colour is never the only tell. */
export const SERIES_STYLES = [
  { colour: "#1d70b8", dash: "" },
  { colour: "#d4351c", dash: "6 3" },
  { colour: "#00703c", dash: "2 3" },
  { colour: "#4c2c92", dash: "10 3 2 3" },
  { colour: "#8a5a00", dash: "1 1" },
] as const;

const W = 480;
const H = 200;
const M = { left: 64, right: 14, top: 12, bottom: 30 };

export interface ChartProps {
  id: string;
  title: string;
  description: string;
  days: string[];
  series: Series[];
  /** How a value is written on the axis (pounds for revenue). */
  format?: (value: number) => string;
  /** The least top of the scale, so an empty chart still has a sensible one (£1 rather than 1p). */
  least?: number;
}

export function LineChart(props: ChartProps) {
  const { days, series, format = String, least = 1 } = props;
  const all = series.flatMap((s) => s.values);
  const low = Math.min(0, ...all);
  const high = Math.max(least, ...all);
  const plotW = W - M.left - M.right;
  const plotH = H - M.top - M.bottom;
  const x = (i: number) => M.left + (days.length === 1 ? plotW / 2 : (i * plotW) / (days.length - 1));
  const y = (v: number) => M.top + plotH - ((v - low) / (high - low)) * plotH;
  const ticks = [...new Set([low, 0, Math.round((low + high) / 2), high])].sort((a, b) => a - b);
  const labelled = [...new Set([0, Math.floor((days.length - 1) / 2), days.length - 1])];
  const round = (n: number) => Math.round(n * 10) / 10;
  return (
    <figure class="chart" aria-labelledby={`${props.id}-caption`}>
      <figcaption id={`${props.id}-caption`}>
        <h3>{props.title}</h3>
      </figcaption>
      <svg
        viewBox={`0 0 ${W} ${H}`}
        width="100%"
        role="img"
        aria-labelledby={`${props.id}-title ${props.id}-desc`}
        data-chart={props.id}
      >
        <title id={`${props.id}-title`}>{props.title}</title>
        <desc id={`${props.id}-desc`}>{props.description}</desc>
        {/* An image's children are presentational: the title and description are what a screen reader hears. */}
        <g>
          {ticks.map((t) => (
            <>
              <line
                x1={M.left}
                x2={W - M.right}
                y1={round(y(t))}
                y2={round(y(t))}
                stroke={t === 0 ? "#505a5f" : "#d8d8d8"}
              />
              <text x={M.left - 6} y={round(y(t)) + 4} text-anchor="end" font-size="14" fill="#1b1b1b">
                {format(t)}
              </text>
            </>
          ))}
          {labelled.map((i) => (
            <text
              x={round(x(i))}
              y={H - 8}
              text-anchor={
                i === 0 && days.length > 1 ? "start" : i === days.length - 1 && days.length > 1 ? "end" : "middle"
              }
              font-size="14"
              fill="#1b1b1b"
            >
              {days[i]}
            </text>
          ))}
          {series.map((s, n) => {
            const style = SERIES_STYLES[n % SERIES_STYLES.length]!;
            const points = s.values.map((v, i) => `${round(x(i))},${round(y(v))}`);
            return (
              <g data-series={s.key} stroke={style.colour} fill={style.colour}>
                <polyline
                  points={points.join(" ")}
                  fill="none"
                  stroke-width="2"
                  stroke-dasharray={style.dash || undefined}
                />
                {s.values.map((v, i) => (
                  <circle cx={round(x(i))} cy={round(y(v))} r="2.5" data-day={days[i]} data-value={v} />
                ))}
              </g>
            );
          })}
        </g>
      </svg>
    </figure>
  );
}

/** The key to a chart's lines: each series' colour and dash, and its name. */
export function Legend(props: { series: Pick<Series, "key" | "label">[] }) {
  return (
    <ul class="legend">
      {props.series.map((s, n) => {
        const style = SERIES_STYLES[n % SERIES_STYLES.length]!;
        return (
          <li>
            <svg width="28" height="10" viewBox="0 0 28 10" aria-hidden="true">
              <line
                x1="0"
                x2="28"
                y1="5"
                y2="5"
                stroke={style.colour}
                stroke-width="3"
                stroke-dasharray={style.dash || undefined}
              />
            </svg>{" "}
            {s.label}
          </li>
        );
      })}
    </ul>
  );
}
