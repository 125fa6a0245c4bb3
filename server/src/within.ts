/**
 * `work`, or a rejection after `ms`: a stopped database can leave a connect waiting far longer
 * than a probe or a scrape should (the driver's connect timeout is 30 s).
 */
export function within<T>(ms: number, work: Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms);
  });
  return Promise.race([work, timeout]).finally(() => clearTimeout(timer));
}
