// Files the user brought for a dataset, with light previews (images as images, text as its first lines),
// and what the data stage made of them.
import type { DataResult } from '../../workers/data.worker';

export interface ImportedFile {
  path: string;
  file: File;
  kind: string;
  imageUrl: string | null;
  textHead: string | null;
}

const IMAGE = /\.(png|jpe?g|gif|bmp|webp)$/i;
const TEXT = /\.(csv|txt|tsv|json|toml|md)$/i;

class DataImport {
  files = $state<ImportedFile[]>([]);
  /** What the last data stage produced (set sizes, class counts, previews). */
  result = $state<DataResult | null>(null);
  totalBytes = $derived(this.files.reduce((sum, f) => sum + f.file.size, 0));

  async addFiles(list: FileList | File[] | null): Promise<void> {
    const added: ImportedFile[] = [];
    for (const file of Array.from(list ?? [])) {
      const path = (file as File & { webkitRelativePath?: string }).webkitRelativePath || file.name;
      added.push(await describe(path, file));
    }
    this.files = [...this.files.filter((f) => !added.some((a) => a.path === f.path)), ...added];
  }

  async addDropped(transfer: DataTransfer | null): Promise<void> {
    if (!transfer) return;
    const entries = Array.from(transfer.items ?? []).map((i) => i.webkitGetAsEntry?.()).filter((e): e is FileSystemEntry => Boolean(e));
    if (entries.length === 0) { await this.addFiles(transfer.files); return; }
    const files: File[] = [];
    for (const entry of entries) await walk(entry, '', files);
    await this.addFiles(files);
  }

  clear(): void {
    for (const f of this.files) if (f.imageUrl) URL.revokeObjectURL(f.imageUrl);
    this.files = [];
  }
}

async function describe(path: string, file: File): Promise<ImportedFile> {
  const kind = IMAGE.test(path) ? 'image' : TEXT.test(path) ? 'text' : /\.(zip|tar|gz|tgz)$/i.test(path) ? 'archive' : 'binary';
  const imageUrl = kind === 'image' ? URL.createObjectURL(file) : null;
  const textHead = kind === 'text' ? (await file.slice(0, 400).text()).split('\n').slice(0, 4).join('\n') : null;
  return { path, file, kind, imageUrl, textHead };
}

/** Reads a dropped folder recursively; files keep their path inside it. */
async function walk(entry: FileSystemEntry, prefix: string, out: File[]): Promise<void> {
  if (entry.isFile) {
    const file = await new Promise<File>((resolve, reject) => (entry as FileSystemFileEntry).file(resolve, reject));
    out.push(new File([file], `${prefix}${file.name}`, { type: file.type, lastModified: file.lastModified }));
    return;
  }
  const reader = (entry as FileSystemDirectoryEntry).createReader();
  for (;;) {
    const batch = await new Promise<FileSystemEntry[]>((resolve, reject) => reader.readEntries(resolve, reject));
    if (batch.length === 0) break;
    for (const child of batch) await walk(child, `${prefix}${entry.name}/`, out);
  }
}

export const dataImport = new DataImport();
