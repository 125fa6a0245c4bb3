/**
 * The single row a statement is known to return (an UPDATE ... RETURNING of a locked row, an
 * aggregate): a missing one is a broken invariant, reported by name rather than as a crash later.
 */
export function onlyRow<T>(rows: readonly T[], what: string): T {
  const [row] = rows;
  if (row === undefined) throw new Error(`${what}: the statement returned no row`);
  return row;
}
