// JSON of a large object, built a slice of records at a time with the event loop free in between: the sandbox's
// data file under `npm start` holds every message, and JSON.stringify of all of it at once stalled the requests
// sharing the loop (tens of ms at ten thousand messages). The object's arrays are taken at one moment; a record
// changed while later slices are built is written as it is then, which is how the next save would write it anyway.

/** Records per slice: about a millisecond of JSON.stringify. */
export const SLICE_RECORDS = 200;

const nextTurn = () => new Promise<void>((resolve) => setImmediate(resolve));

/** The same text as JSON.stringify(value) for a plain object of JSON values, its arrays written slice by slice. */
export async function slicedJson(value: Record<string, unknown>): Promise<string> {
  const parts: string[] = [];
  for (const [key, field] of Object.entries(value)) {
    if (field === undefined) continue;
    const name = JSON.stringify(key);
    if (!Array.isArray(field) || field.length <= SLICE_RECORDS) {
      parts.push(`${name}:${JSON.stringify(field)}`);
      continue;
    }
    const slices: string[] = [];
    for (let start = 0; start < field.length; start += SLICE_RECORDS) {
      const slice = JSON.stringify(field.slice(start, start + SLICE_RECORDS));
      slices.push(slice.slice(1, -1));
      await nextTurn();
    }
    parts.push(`${name}:[${slices.join(",")}]`);
  }
  return `{${parts.join(",")}}`;
}
