/**
 * The slice of Werk24's Techread protocol this client speaks, reconstructed from the public
 * models of the werk24 Python client (W24TechreadCommand, W24TechreadRequest, W24TechreadMessage,
 * W24TechreadInitResponse, W24Ask*). Field names are Werk24's; only what we read is typed.
 */

/** Ask types we send (W24AskType); the answers arrive as ASK messages with this subtype. */
export type Werk24AskType =
  | 'VARIANT_MEASURES'
  | 'VARIANT_GDTS'
  | 'VARIANT_THREAD_ELEMENTS'
  | 'VARIANT_ROUGHNESSES'
  | 'TITLE_BLOCK';

export interface Werk24Ask {
  version: 'v1';
  ask_type: Werk24AskType;
  is_training: false;
  /** Only on VARIANT_MEASURES: server-side pre-filter (W24AskVariantMeasures.confidence_min, default 0.2). */
  confidence_min?: number;
}

/** W24TechreadRequest, sent as the JSON-encoded `message` of the INITIALIZE command. */
export interface Werk24TechreadRequest {
  asks: Werk24Ask[];
  max_pages: number;
  client_version: string;
  drawing_filename: string;
}

/** W24TechreadCommand: `message` is itself a JSON string. */
export interface Werk24Command {
  action: 'INITIALIZE' | 'READ';
  message: string;
}

export interface Werk24Exception {
  exception_level: 'ERROR' | 'INFO' | string;
  exception_type: string;
}

/** W24TechreadMessage: every server-to-client message. */
export interface Werk24TechreadMessage {
  request_id: string;
  /** ASK, PROGRESS, REJECTION, ERROR (deprecated). */
  message_type: string;
  /** The ask type for ASK; INITIALIZATION_SUCCESS / STARTED / COMPLETED for PROGRESS. */
  message_subtype: string;
  page_number?: number;
  payload_dict?: Record<string, unknown> | null;
  payload_url?: string | null;
  exceptions?: Werk24Exception[];
}

/** W24PresignedPost: where and with which form fields the drawing is uploaded. */
export interface Werk24PresignedPost {
  url: string;
  fields?: Record<string, string>;
}

/** W24TechreadInitResponse: the payload_dict of the answer to INITIALIZE. */
export interface Werk24InitResponse {
  drawing_presigned_post: Werk24PresignedPost;
  model_presigned_post?: Werk24PresignedPost;
  public_key?: string | null;
  exceptions?: Werk24Exception[];
}

/** The drawing handed to a provider. */
export interface Werk24File {
  filename: string;
  content: Buffer;
  mimeType: string;
}
