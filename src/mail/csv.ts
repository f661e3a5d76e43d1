// One CSV record per line (RFC 4180 quoting, no line breaks inside fields: subscriber rows never need them).
export function splitCsvLine(line: string): string[] | null {
  const fields: string[] = [];
  let i = 0;
  for (;;) {
    if (line[i] === '"') {
      let value = '';
      i++;
      for (;;) {
        if (i >= line.length) return null; // unterminated quote
        if (line[i] === '"') {
          if (line[i + 1] === '"') {
            value += '"';
            i += 2;
            continue;
          }
          i++;
          break;
        }
        value += line[i++];
      }
      fields.push(value);
      if (i < line.length && line[i] !== ',') return null;
    } else {
      const end = line.indexOf(',', i);
      fields.push(line.slice(i, end === -1 ? line.length : end));
      i = end === -1 ? line.length : end;
    }
    if (i >= line.length) return fields;
    i++; // the comma
    if (i === line.length) return [...fields, ''];
  }
}

/** The inverse of splitCsvLine: a field is quoted only when it holds a comma, a quote or edge spaces. */
export const joinCsvLine = (fields: readonly string[]) => fields.map((f) => (/[",]|^\s|\s$/.test(f) ? `"${f.replace(/"/g, '""')}"` : f)).join(',');
