/** A submitted form: every value of every field, as `application/x-www-form-urlencoded` sent them. */
export class FormBody {
  readonly #params: URLSearchParams;

  constructor(params: URLSearchParams) {
    this.#params = params;
  }

  static parse(text: string): FormBody {
    return new FormBody(new URLSearchParams(text));
  }

  /** The field's first value, trimmed; '' when absent. */
  get(name: string): string {
    return (this.#params.get(name) ?? '').trim();
  }

  /** Every value of a repeated field (checkboxes), trimmed, empty ones dropped. */
  all(name: string): string[] {
    return this.#params
      .getAll(name)
      .map((value) => value.trim())
      .filter(Boolean);
  }

  has(name: string): boolean {
    return this.#params.has(name);
  }

  /** The names of every field sent. */
  names(): string[] {
    return [...new Set(this.#params.keys())];
  }
}
