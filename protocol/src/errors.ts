/** JSON body of every error answer, in the Hugging Face Hub's shape. */
export interface ErrorBody {
  error: string;
  /** Stable machine-readable id, for example `username_taken`. */
  id?: string;
}
