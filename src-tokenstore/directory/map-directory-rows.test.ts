import { describe, expect, it } from 'vitest';
import { defaultFieldMapping, fieldMappingSchema } from '../../src-shared/tokenstore/directory-api';
import {
  deltaEntry,
  mapMembership,
  mapSystemUser,
  mapTeam,
  userSelect,
} from './map-directory-rows';

const row = {
  '@odata.etag': 'W/"915244"',
  systemuserid: 'A0B1C2D3-0000-4000-8000-000000000001',
  azureactivedirectoryobjectid: 'E0F1A2B3-0000-4000-8000-000000000001',
  fullname: 'Nancy Anderson',
  internalemailaddress: 'nancy@contoso.example',
  domainname: 'nancy@contoso.example',
  title: 'Buyer',
  _businessunitid_value: 'B0000000-0000-4000-8000-000000000001',
  isdisabled: false,
  accessmode: 0,
  applicationid: null,
};

describe('directory row mapping', () => {
  it('selects the mapped columns and the application-user markers', () => {
    expect(userSelect(defaultFieldMapping).split(',')).toEqual([
      'systemuserid',
      'azureactivedirectoryobjectid',
      'fullname',
      'internalemailaddress',
      'domainname',
      'title',
      '_businessunitid_value',
      'isdisabled',
      'applicationid',
      'accessmode',
    ]);
  });

  it('maps a systemuser through the default mapping, ids lower-case', () => {
    expect(mapSystemUser(row, defaultFieldMapping)).toEqual({
      systemUserId: 'a0b1c2d3-0000-4000-8000-000000000001',
      objectId: 'e0f1a2b3-0000-4000-8000-000000000001',
      fullName: 'Nancy Anderson',
      email: 'nancy@contoso.example',
      domainName: 'nancy@contoso.example',
      title: 'Buyer',
      businessUnitId: 'b0000000-0000-4000-8000-000000000001',
      isDisabled: false,
    });
    expect(mapSystemUser({ ...row, isdisabled: true }, defaultFieldMapping)?.isDisabled).toBe(true);
  });

  it('follows a configured mapping', () => {
    const mapping = fieldMappingSchema.parse({ email: 'windowsliveid', title: 'jobtitle' });
    const mapped = mapSystemUser(
      { ...row, windowsliveid: 'n@live.example', jobtitle: 'Lead' },
      mapping,
    );
    expect(mapped).toMatchObject({ email: 'n@live.example', title: 'Lead' });
  });

  it('leaves application users out of the people directory', () => {
    expect(
      mapSystemUser(
        { ...row, applicationid: 'f0000000-0000-4000-8000-000000000001' },
        defaultFieldMapping,
      ),
    ).toBeUndefined();
    expect(mapSystemUser({ ...row, accessmode: 4 }, defaultFieldMapping)).toBeUndefined();
  });

  it('tells a deleted entity from a changed row, as the change-tracking page shows them', () => {
    expect(
      deltaEntry({
        '@odata.context':
          'https://org.crm.dynamics.com/api/data/v9.0/$metadata#accounts/$deletedEntity',
        id: '2e451703-c686-e711-80e5-00155db19e6d',
        reason: 'deleted',
      }),
    ).toEqual({ kind: 'deleted', id: '2e451703-c686-e711-80e5-00155db19e6d' });
    expect(deltaEntry(row)).toEqual({ kind: 'row', row });
  });

  it('maps teams (group teams carry the Entra group id) and memberships', () => {
    expect(
      mapTeam({
        teamid: 'T1000000-0000-4000-8000-000000000001',
        name: 'Sales',
        teamtype: 2,
        azureactivedirectoryobjectid: 'G1000000-0000-4000-8000-000000000001',
      }),
    ).toEqual({
      teamId: 't1000000-0000-4000-8000-000000000001',
      name: 'Sales',
      teamType: 2,
      objectId: 'g1000000-0000-4000-8000-000000000001',
    });
    expect(mapTeam({ teamid: 'x', name: 'Owners', teamtype: 0 })?.objectId).toBeNull();
    expect(mapMembership({ teammembershipid: 'M', teamid: 'T', systemuserid: 'U' })).toEqual({
      teamId: 't',
      systemUserId: 'u',
      membershipId: 'm',
    });
    expect(mapMembership({ teamid: 'T' })).toBeUndefined();
  });
});
