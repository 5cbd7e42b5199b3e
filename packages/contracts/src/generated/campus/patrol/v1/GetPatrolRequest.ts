// Original file: /work/main/proto/campus/patrol/v1/patrol.proto


export interface GetPatrolRequest {
  'id'?: (string);
}

export interface GetPatrolRequest__Output {
  'id': (string);
}
