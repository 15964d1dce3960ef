// A file as services take it: its bytes and the name messages give it ("people.csv:12: …").
// Adapters read it (the CLI from disk, the API from the upload); services never open files.

export interface InputFile {
  name: string;
  bytes: Buffer;
}
