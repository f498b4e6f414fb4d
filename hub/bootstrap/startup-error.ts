// A reason the process cannot start that the person running it can fix: printed as one line, exit code 1, no stack.
export class StartupError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "StartupError";
  }
}
