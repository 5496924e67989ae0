export { type RunThroughputOptions, runThroughput, type ThroughputResult } from './run-throughput.js'
export type { BenchContext, BenchScenario, Measurement } from './scenario.js'
export { allScenarios as throughputScenarios } from './scenarios/index.js'
export { latencySummary, mean, median, quantile } from './stats.js'
