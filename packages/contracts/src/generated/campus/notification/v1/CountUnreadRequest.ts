// Original file: /work/main/proto/campus/notification/v1/notification.proto


export interface CountUnreadRequest {
  'userId'?: (string);
}

export interface CountUnreadRequest__Output {
  'userId': (string);
}
