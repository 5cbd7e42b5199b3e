// Original file: /work/main/proto/campus/patrol/v1/patrol.proto


export interface Progress {
  'total'?: (number);
  'checked'?: (number);
  'present'?: (number);
  'absent'?: (number);
}

export interface Progress__Output {
  'total': (number);
  'checked': (number);
  'present': (number);
  'absent': (number);
}
