/** The part of unzipper (0.10) we use: the central directory of a ZIP held in memory. */
declare module 'unzipper' {
  export interface CentralDirectoryEntry {
    path: string;
    type: 'File' | 'Directory';
    compressedSize: number;
    uncompressedSize: number;
  }
  export interface CentralDirectory {
    files: CentralDirectoryEntry[];
  }
  export const Open: {
    buffer(buffer: Buffer): Promise<CentralDirectory>;
  };
}
