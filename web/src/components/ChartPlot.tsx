// The drawing area of the console's hand-drawn charts: an SVG 100 units wide stretched to its
// box, `height` px high, read out as one image by its summary.

import type { ReactNode, SVGAttributes } from "react";

type Props = SVGAttributes<SVGSVGElement> & {
  height: number;
  summary: string;
  children: ReactNode;
  [data: `data-${string}`]: string | number | undefined;
};

export function ChartPlot({ height, summary, children, ...svg }: Props) {
  return (
    <svg
      className="chart-plot"
      viewBox={`0 0 100 ${height}`}
      preserveAspectRatio="none"
      height={height}
      overflow="visible"
      role="img"
      aria-label={summary}
      {...svg}
    >
      {children}
    </svg>
  );
}
