// Original file: /work/main/proto/campus/identity/v1/identity.proto

import type * as grpc from '@grpc/grpc-js'
import type { MethodDefinition } from '@grpc/proto-loader'
import type { CheckUserRoleRequest as _campus_identity_v1_CheckUserRoleRequest, CheckUserRoleRequest__Output as _campus_identity_v1_CheckUserRoleRequest__Output } from '../../../campus/identity/v1/CheckUserRoleRequest';
import type { CheckUserRoleResponse as _campus_identity_v1_CheckUserRoleResponse, CheckUserRoleResponse__Output as _campus_identity_v1_CheckUserRoleResponse__Output } from '../../../campus/identity/v1/CheckUserRoleResponse';
import type { GetUserRequest as _campus_identity_v1_GetUserRequest, GetUserRequest__Output as _campus_identity_v1_GetUserRequest__Output } from '../../../campus/identity/v1/GetUserRequest';
import type { GetUsersRequest as _campus_identity_v1_GetUsersRequest, GetUsersRequest__Output as _campus_identity_v1_GetUsersRequest__Output } from '../../../campus/identity/v1/GetUsersRequest';
import type { GetUsersResponse as _campus_identity_v1_GetUsersResponse, GetUsersResponse__Output as _campus_identity_v1_GetUsersResponse__Output } from '../../../campus/identity/v1/GetUsersResponse';
import type { User as _campus_identity_v1_User, User__Output as _campus_identity_v1_User__Output } from '../../../campus/identity/v1/User';
import type { ValidateTokenRequest as _campus_identity_v1_ValidateTokenRequest, ValidateTokenRequest__Output as _campus_identity_v1_ValidateTokenRequest__Output } from '../../../campus/identity/v1/ValidateTokenRequest';
import type { ValidateTokenResponse as _campus_identity_v1_ValidateTokenResponse, ValidateTokenResponse__Output as _campus_identity_v1_ValidateTokenResponse__Output } from '../../../campus/identity/v1/ValidateTokenResponse';

export interface IdentityServiceClient extends grpc.Client {
  CheckUserRole(argument: _campus_identity_v1_CheckUserRoleRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_campus_identity_v1_CheckUserRoleResponse__Output>): grpc.ClientUnaryCall;
  CheckUserRole(argument: _campus_identity_v1_CheckUserRoleRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_campus_identity_v1_CheckUserRoleResponse__Output>): grpc.ClientUnaryCall;
  CheckUserRole(argument: _campus_identity_v1_CheckUserRoleRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_campus_identity_v1_CheckUserRoleResponse__Output>): grpc.ClientUnaryCall;
  CheckUserRole(argument: _campus_identity_v1_CheckUserRoleRequest, callback: grpc.requestCallback<_campus_identity_v1_CheckUserRoleResponse__Output>): grpc.ClientUnaryCall;
  checkUserRole(argument: _campus_identity_v1_CheckUserRoleRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_campus_identity_v1_CheckUserRoleResponse__Output>): grpc.ClientUnaryCall;
  checkUserRole(argument: _campus_identity_v1_CheckUserRoleRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_campus_identity_v1_CheckUserRoleResponse__Output>): grpc.ClientUnaryCall;
  checkUserRole(argument: _campus_identity_v1_CheckUserRoleRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_campus_identity_v1_CheckUserRoleResponse__Output>): grpc.ClientUnaryCall;
  checkUserRole(argument: _campus_identity_v1_CheckUserRoleRequest, callback: grpc.requestCallback<_campus_identity_v1_CheckUserRoleResponse__Output>): grpc.ClientUnaryCall;
  
  GetUser(argument: _campus_identity_v1_GetUserRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_campus_identity_v1_User__Output>): grpc.ClientUnaryCall;
  GetUser(argument: _campus_identity_v1_GetUserRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_campus_identity_v1_User__Output>): grpc.ClientUnaryCall;
  GetUser(argument: _campus_identity_v1_GetUserRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_campus_identity_v1_User__Output>): grpc.ClientUnaryCall;
  GetUser(argument: _campus_identity_v1_GetUserRequest, callback: grpc.requestCallback<_campus_identity_v1_User__Output>): grpc.ClientUnaryCall;
  getUser(argument: _campus_identity_v1_GetUserRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_campus_identity_v1_User__Output>): grpc.ClientUnaryCall;
  getUser(argument: _campus_identity_v1_GetUserRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_campus_identity_v1_User__Output>): grpc.ClientUnaryCall;
  getUser(argument: _campus_identity_v1_GetUserRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_campus_identity_v1_User__Output>): grpc.ClientUnaryCall;
  getUser(argument: _campus_identity_v1_GetUserRequest, callback: grpc.requestCallback<_campus_identity_v1_User__Output>): grpc.ClientUnaryCall;
  
  GetUsers(argument: _campus_identity_v1_GetUsersRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_campus_identity_v1_GetUsersResponse__Output>): grpc.ClientUnaryCall;
  GetUsers(argument: _campus_identity_v1_GetUsersRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_campus_identity_v1_GetUsersResponse__Output>): grpc.ClientUnaryCall;
  GetUsers(argument: _campus_identity_v1_GetUsersRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_campus_identity_v1_GetUsersResponse__Output>): grpc.ClientUnaryCall;
  GetUsers(argument: _campus_identity_v1_GetUsersRequest, callback: grpc.requestCallback<_campus_identity_v1_GetUsersResponse__Output>): grpc.ClientUnaryCall;
  getUsers(argument: _campus_identity_v1_GetUsersRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_campus_identity_v1_GetUsersResponse__Output>): grpc.ClientUnaryCall;
  getUsers(argument: _campus_identity_v1_GetUsersRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_campus_identity_v1_GetUsersResponse__Output>): grpc.ClientUnaryCall;
  getUsers(argument: _campus_identity_v1_GetUsersRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_campus_identity_v1_GetUsersResponse__Output>): grpc.ClientUnaryCall;
  getUsers(argument: _campus_identity_v1_GetUsersRequest, callback: grpc.requestCallback<_campus_identity_v1_GetUsersResponse__Output>): grpc.ClientUnaryCall;
  
  ValidateToken(argument: _campus_identity_v1_ValidateTokenRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_campus_identity_v1_ValidateTokenResponse__Output>): grpc.ClientUnaryCall;
  ValidateToken(argument: _campus_identity_v1_ValidateTokenRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_campus_identity_v1_ValidateTokenResponse__Output>): grpc.ClientUnaryCall;
  ValidateToken(argument: _campus_identity_v1_ValidateTokenRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_campus_identity_v1_ValidateTokenResponse__Output>): grpc.ClientUnaryCall;
  ValidateToken(argument: _campus_identity_v1_ValidateTokenRequest, callback: grpc.requestCallback<_campus_identity_v1_ValidateTokenResponse__Output>): grpc.ClientUnaryCall;
  validateToken(argument: _campus_identity_v1_ValidateTokenRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_campus_identity_v1_ValidateTokenResponse__Output>): grpc.ClientUnaryCall;
  validateToken(argument: _campus_identity_v1_ValidateTokenRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_campus_identity_v1_ValidateTokenResponse__Output>): grpc.ClientUnaryCall;
  validateToken(argument: _campus_identity_v1_ValidateTokenRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_campus_identity_v1_ValidateTokenResponse__Output>): grpc.ClientUnaryCall;
  validateToken(argument: _campus_identity_v1_ValidateTokenRequest, callback: grpc.requestCallback<_campus_identity_v1_ValidateTokenResponse__Output>): grpc.ClientUnaryCall;
  
}

export interface IdentityServiceHandlers extends grpc.UntypedServiceImplementation {
  CheckUserRole: grpc.handleUnaryCall<_campus_identity_v1_CheckUserRoleRequest__Output, _campus_identity_v1_CheckUserRoleResponse>;
  
  GetUser: grpc.handleUnaryCall<_campus_identity_v1_GetUserRequest__Output, _campus_identity_v1_User>;
  
  GetUsers: grpc.handleUnaryCall<_campus_identity_v1_GetUsersRequest__Output, _campus_identity_v1_GetUsersResponse>;
  
  ValidateToken: grpc.handleUnaryCall<_campus_identity_v1_ValidateTokenRequest__Output, _campus_identity_v1_ValidateTokenResponse>;
  
}

export interface IdentityServiceDefinition extends grpc.ServiceDefinition {
  CheckUserRole: MethodDefinition<_campus_identity_v1_CheckUserRoleRequest, _campus_identity_v1_CheckUserRoleResponse, _campus_identity_v1_CheckUserRoleRequest__Output, _campus_identity_v1_CheckUserRoleResponse__Output>
  GetUser: MethodDefinition<_campus_identity_v1_GetUserRequest, _campus_identity_v1_User, _campus_identity_v1_GetUserRequest__Output, _campus_identity_v1_User__Output>
  GetUsers: MethodDefinition<_campus_identity_v1_GetUsersRequest, _campus_identity_v1_GetUsersResponse, _campus_identity_v1_GetUsersRequest__Output, _campus_identity_v1_GetUsersResponse__Output>
  ValidateToken: MethodDefinition<_campus_identity_v1_ValidateTokenRequest, _campus_identity_v1_ValidateTokenResponse, _campus_identity_v1_ValidateTokenRequest__Output, _campus_identity_v1_ValidateTokenResponse__Output>
}
