// A separate process that asks the server for `url` every few milliseconds and, when told to stop,
// reports each answer's latency: the server's responsiveness seen from outside its event loop.
const url = process.argv[2] ?? '';
const everyMs = Number(process.argv[3] ?? 10);
const latencies: number[] = [];
let failures = 0;
let firstFailure: string | undefined;
let stopping = false;

process.on('message', (message) => {
  if (message === 'stop') stopping = true;
});

while (!stopping) {
  const start = performance.now();
  try {
    const response = await fetch(url);
    await response.arrayBuffer();
    if (response.ok) latencies.push(performance.now() - start);
    else {
      failures += 1;
      firstFailure ??= `HTTP ${response.status}`;
    }
  } catch (error) {
    failures += 1;
    firstFailure ??= String((error as Error).cause ?? error);
  }
  await new Promise((resolve) => setTimeout(resolve, everyMs));
}
process.send?.({ latencies, failures, firstFailure }, () => process.exit(0));
