/**
 * One in-process subscriber for the benchmarks (EVENT_SUBSCRIBER_MODULE): counts every event and
 * remembers its id, as a handler that deduplicates would.
 */
const seen = new Set();
exports.register = (events) => {
  events.on('bench.counter', '*', (event) => {
    seen.add(event.id);
  });
};
