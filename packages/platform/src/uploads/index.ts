// Files a service takes and hands back, end to end: single-use upload links (the HTTP route,
// spooling bodies to disk under a size limit, file formats from content, the links' table, store
// and issue/redeem), the file storage (local directory or S3) and signed download links. No
// business rules: which files a service accepts, what they become and who sees them stay in the service.
export {
  DISCARD_MAX_BYTES,
  DISCARD_MAX_MS,
  REFUSED_LINK_GRACE_MS,
  timedRoute,
  uploadRoute,
  type ReceiveUpload,
  type UploadRouteOptions,
} from './route';
export { LocalUploadSpool, receiveToFile, type SpooledFile, type UploadSpool } from './spool';
export { detectFileFormat, type FileFormat } from './file-format';
export { sendPrivateFile, type OutgoingFile } from './send-file';
export {
  PgUploadLinkStore,
  UPLOAD_LINK_PRISMA_MODEL,
  UPLOAD_LINK_RETENTION_MS,
  UploadLinks,
  uploadLinkRefusalMessage,
  type IssuedUploadLink,
  type PgUploadLinkStoreOptions,
  type UploadGrant,
  type UploadLink,
  type UploadLinkClaim,
  type UploadLinkRefusalReason,
  type UploadLinkStore,
  type UploadLinksOptions,
} from './links';
export {
  FileLinks,
  MIN_FILE_URL_SECRET_LENGTH,
  type FileLinkCheck,
  type FileLinkRefusalReason,
  type FileLinksOptions,
  type IssuedFileLink,
} from './file-links';
export { LocalFileStorage, assertStorageKey, type FileStorage } from './file-storage';
export { S3FileStorage, createS3Client, type S3Sender, type S3StorageSettings } from './s3-storage';
export {
  fileStorageConfig,
  fileStorageEnv,
  fileUrlSecretEnv,
  localFileUrlSecret,
  openFileStorage,
  resolveFileUrlSecret,
  s3Env,
  type FileStorageConfig,
  type FileStorageEnvValues,
} from './storage-env';
