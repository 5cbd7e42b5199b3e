// Original file: /work/main/proto/campus/notification/v1/notification.proto

import type { Notification as _campus_notification_v1_Notification, Notification__Output as _campus_notification_v1_Notification__Output } from '../../../campus/notification/v1/Notification';

export interface ListForUserResponse {
  'notifications'?: (_campus_notification_v1_Notification)[];
  'total'?: (number);
  'page'?: (number);
  'size'?: (number);
  'pages'?: (number);
}

export interface ListForUserResponse__Output {
  'notifications': (_campus_notification_v1_Notification__Output)[];
  'total': (number);
  'page': (number);
  'size': (number);
  'pages': (number);
}
