// Original file: /work/main/proto/campus/notification/v1/notification.proto


export interface ListForUserRequest {
  'userId'?: (string);
  'unreadOnly'?: (boolean);
  'page'?: (number);
  'size'?: (number);
}

export interface ListForUserRequest__Output {
  'userId': (string);
  'unreadOnly': (boolean);
  'page': (number);
  'size': (number);
}
