/**
 * Runs `work` for each index 0…count-1 with at most `concurrency` calls in flight, like a pool of
 * clients each sending its next request when the previous one answered. Results keep index order.
 */
export async function inParallel<T>(
  count: number,
  concurrency: number,
  work: (index: number) => Promise<T>,
): Promise<T[]> {
  const results = new Array<T>(count);
  let next = 0;
  const client = async () => {
    for (let i = next++; i < count; i = next++) results[i] = await work(i);
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, count) }, client));
  return results;
}
