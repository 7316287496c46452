/** A file from the gateway's export routes (CSV/XLSX), fetched with the bearer token and saved through a download link. */
export class ExportFailed extends Error {
  constructor(
    message: string,
    readonly status?: number,
  ) {
    super(message);
  }
}

/** The file name the server suggests (Content-Disposition), or ours. */
export function attachmentName(header: string | null, fallback: string): string {
  if (!header) return fallback;
  const star = /filename\*\s*=\s*(?:UTF-8'')?([^;]+)/i.exec(header);
  if (star?.[1]) {
    try {
      return decodeURIComponent(star[1].trim().replace(/^"|"$/g, ''));
    } catch {
      /* fall through to the plain name */
    }
  }
  const plain = /filename\s*=\s*"?([^";]+)"?/i.exec(header);
  return plain?.[1]?.trim() || fallback;
}

export async function fetchExport(path: string, token: string | undefined, fetcher: typeof fetch = fetch): Promise<{ blob: Blob; name: string }> {
  let response: Response;
  try {
    response = await fetcher(path, { headers: token ? { authorization: `Bearer ${token}` } : {} });
  } catch {
    throw new ExportFailed('network');
  }
  if (!response.ok) {
    // The routes answer errors as JSON with a Russian message, like GraphQL.
    let message: string | undefined;
    try {
      const body = (await response.json()) as { errors?: { message?: string }[] };
      message = body.errors?.[0]?.message;
    } catch {
      /* not JSON */
    }
    throw new ExportFailed(message ?? '', response.status);
  }
  const fallback = path.split('?')[0]!.split('/').pop() ?? 'export';
  return { blob: await response.blob(), name: attachmentName(response.headers.get('content-disposition'), fallback) };
}
