/**
 * The shape every benchmark section has, so `bench/run.ts` can run them in a row and print one
 * table. A section measures and reports; it never asserts (goals are printed, not enforced).
 */
export interface Row {
  /** What was measured, e.g. "step p99". */
  measure: string;
  /** The figure with its unit, e.g. "0.21 ms". */
  value: string;
  /** The target, when there is one, e.g. "≥ 0.6". */
  goal?: string;
  /** Whether the figure meets the goal (printed as ✓/✗). */
  met?: boolean;
}

export interface BenchOptions {
  /** Seconds per load test (autocannon runs). */
  seconds: number;
}

export interface BenchSection {
  /** Short name to pick the section on the command line: `npm run bench -- store`. */
  name: string;
  title: string;
  run(opts: BenchOptions): Promise<Row[]>;
}
