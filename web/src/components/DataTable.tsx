// The console's tables: a header row of columns, a row per item, a note when there are none and,
// for a cursor-paged list (cursorList.ts), a button that appends the following page.

import type { HTMLAttributes, ReactNode, TdHTMLAttributes } from "react";

/** data-* attributes, which the e2e tests find rows and cells by. */
type DataAttributes = { [name: `data-${string}`]: string | number | boolean | undefined };

export interface Column<Row> {
  key: string;
  header: ReactNode;
  cell: (row: Row) => ReactNode;
  /** A class for every cell of the column, or one per row. */
  className?: string | ((row: Row) => string | undefined);
  /** More attributes of a cell: data-* for tests, a title. */
  cellProps?: (row: Row) => TdHTMLAttributes<HTMLTableCellElement> & DataAttributes;
  /** The column names its row: <th scope="row"> cells. */
  rowHeader?: boolean;
}

export interface MoreButton {
  /** The following page's cursor; no button without one. */
  next: string | null;
  onMore: () => void;
  label: string;
}

interface Props<Row> {
  columns: Column<Row>[];
  rows: Row[];
  rowKey: (row: Row) => string | number;
  rowProps?: (row: Row) => HTMLAttributes<HTMLTableRowElement> & DataAttributes;
  className?: string;
  testId?: string;
  caption?: ReactNode;
  /** Shown under the table when there are no rows (and none are loading). */
  empty?: ReactNode;
  loading?: boolean;
  more?: MoreButton;
}

export function DataTable<Row>({ columns, rows, rowKey, rowProps, className = "table", testId, caption, empty, loading = false, more }: Props<Row>) {
  return (
    <>
      <table className={className} data-testid={testId}>
        {caption !== undefined && <caption className="muted">{caption}</caption>}
        <thead>
          <tr>
            {columns.map((column) => (
              <th key={column.key} scope="col">{column.header}</th>
            ))}
          </tr>
        </thead>
        <tbody>
          {rows.map((row) => (
            <tr key={rowKey(row)} {...rowProps?.(row)}>
              {columns.map((column) => (
                <Cell key={column.key} column={column} row={row} />
              ))}
            </tr>
          ))}
        </tbody>
      </table>
      {empty !== undefined && !loading && !rows.length && <p className="muted">{empty}</p>}
      {more?.next && (
        <button type="button" onClick={more.onMore} disabled={loading}>
          {more.label}
        </button>
      )}
    </>
  );
}

function Cell<Row>({ column, row }: { column: Column<Row>; row: Row }) {
  const className = typeof column.className === "function" ? column.className(row) : column.className;
  const props = { className: className || undefined, ...column.cellProps?.(row) };
  return column.rowHeader ? <th scope="row" {...props}>{column.cell(row)}</th> : <td {...props}>{column.cell(row)}</td>;
}
