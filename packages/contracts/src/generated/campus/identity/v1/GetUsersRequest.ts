// Original file: /work/main/proto/campus/identity/v1/identity.proto


export interface GetUsersRequest {
  'ids'?: (string)[];
  'building'?: (string);
  'entrance'?: (number);
  'floor'?: (number);
  'room'?: (string);
  'role'?: (string);
  'minorsOnly'?: (boolean);
  'includeInactive'?: (boolean);
  '_building'?: "building";
  '_entrance'?: "entrance";
  '_floor'?: "floor";
  '_room'?: "room";
  '_role'?: "role";
}

export interface GetUsersRequest__Output {
  'ids': (string)[];
  'building'?: (string);
  'entrance'?: (number);
  'floor'?: (number);
  'room'?: (string);
  'role'?: (string);
  'minorsOnly': (boolean);
  'includeInactive': (boolean);
  '_building'?: "building";
  '_entrance'?: "entrance";
  '_floor'?: "floor";
  '_room'?: "room";
  '_role'?: "role";
}
