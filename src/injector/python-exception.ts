/** An exception the reference injector would raise (instead of returning a result). */
export class PythonException extends Error {
  constructor(
    readonly pythonType: 'ValueError' | 'TypeError' | 'AttributeError' | 'KeyError' | 'IndexError',
    message: string,
  ) {
    super(`${pythonType}: ${message}`);
    this.name = 'PythonException';
  }
}
