// Electronegativity ships no types; this is the part of its programmatic runner the scan uses
// (node_modules/@doyensec/electronegativity/dist/runner.js, the function its CLI calls).
declare module '@doyensec/electronegativity/dist/runner.js' {
  interface Level {
    readonly name: string;
    readonly value: number;
  }
  export interface ElectronegativityIssue {
    readonly id: string;
    readonly file: string;
    readonly location: { readonly line: number; readonly column: number };
    readonly description: string;
    readonly sample?: string;
    readonly severity: Level;
    readonly confidence: Level;
    readonly manualReview: boolean;
  }
  export interface ElectronegativityResult {
    readonly issues: ElectronegativityIssue[];
    readonly errors: {
      readonly file: string;
      readonly message: string;
      readonly tolerable: boolean;
    }[];
  }
  export default function run(options: {
    input: string;
    isRelative?: boolean;
    electronVersionOverride?: string;
    /** Check class names, lower-cased. */
    excludeFromScan?: string[];
    customScan?: string[];
    parserPlugins?: string[];
  }): Promise<ElectronegativityResult>;
}
