/**
 * The producer's side of a contract. A program returns its exports before they are known: any
 * value, at any depth, may still be an Output (or a promise) that the engine resolves before
 * another stack reads it. Typing a program's result as `Exported<ItsExports>` makes a missing,
 * renamed or re-typed export a compile error where it is produced, not a surprise where it is read.
 */
import type { Input } from "@pulumi/pulumi";

export type Exported<T> = T extends string
    ? Input<T>
    : T extends boolean
      ? Input<boolean>
      : T extends number
        ? Input<number>
        : T extends readonly (infer U)[]
          ? Input<readonly Exported<U>[]>
          : T extends object
            ? Input<{ readonly [K in keyof T]: Exported<T[K]> }>
            : T;
