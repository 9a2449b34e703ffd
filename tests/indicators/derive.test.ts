// The derived respondent variables follow one definition for generated and imported data: integration index,
// health-education topic count, BPHS index and age, with the stated rules for missing values.
import { describe, expect, test } from 'vitest';
import { ageFromBirthYear, bphsIndex, deriveRespondentVariables, healthEducationTopicCount, integrationIndex, type DerivableRecord } from '@/lib/indicators/derive';

describe('integrationIndex', () => {
  test('rescales the mean of six 1–4 items to 0–100', () => {
    expect(integrationIndex([1, 1, 1, 1, 1, 1])).toBe(0);
    expect(integrationIndex([4, 4, 4, 4, 4, 4])).toBe(100);
    expect(integrationIndex([3, 3, 4, 3, 2, 3])).toBeCloseTo(((18 / 6 - 1) / 3) * 100, 12);
  });

  test('is missing unless all six items are answered', () => {
    expect(integrationIndex([3, 3, 3, 3, 3, null])).toBeNull();
    expect(integrationIndex([3, 3, 3, 3, 3])).toBeNull();
  });
});

describe('health education and BPHS', () => {
  test('counts the topics received, missing if any topic is unknown', () => {
    expect(healthEducationTopicCount([1, 0, 1, 1, 0, 0, 0, 0, 1])).toBe(4);
    expect(healthEducationTopicCount([1, 0, null, 1, 0, 0, 0, 0, 1])).toBeNull();
  });

  test('the BPHS index is the mean of health record and any health education', () => {
    expect(bphsIndex(1, 1)).toBe(1);
    expect(bphsIndex(0, 1)).toBe(0.5);
    expect(bphsIndex(0, 0)).toBe(0);
    expect(bphsIndex(null, 1)).toBeNull();
  });
});

describe('ageFromBirthYear', () => {
  test('gives completed years at the May survey', () => {
    expect(ageFromBirthYear(1980, 2017)).toBe(37);
    expect(ageFromBirthYear(1980, 2017, 3)).toBe(37);
    expect(ageFromBirthYear(1980, 2017, 11)).toBe(36);
    expect(ageFromBirthYear(null, 2017)).toBeNull();
  });
});

describe('deriveRespondentVariables', () => {
  const topics = { heSmokingControl: 1, heMaternalChild: 0, heReproductive: 0, heEmergency: 1, heStdAids: 0, heChronicDisease: 0, heMentalHealth: 0, heTuberculosis: 0, heOccupationalDisease: 0 };
  const items = { integLikeCity: 4, integAttention: 3, integWilling: 4, integAccepted: 3, integLookedDownRev: 3, integHygieneRev: 4 };

  test('fills age, any education from the topics, the count, the BPHS index and the integration index', () => {
    const record = deriveRespondentVariables<DerivableRecord>({ wave: 2017, birthYear: 1990, healthRecord: 1, ...topics, ...items });
    expect(record).toMatchObject({ age: 27, healthEducationAny: 1, healthEducationTopics: 2, bphsIndex: 1 });
    expect(record.integrationIndex).toBeCloseTo(((21 / 6 - 1) / 3) * 100, 12);
  });

  test('counts zero topics for someone who received no health education, and keeps values already present', () => {
    const record = deriveRespondentVariables({ wave: 2017, age: 30, birthYear: 1990, healthRecord: 0, healthEducationAny: 0 });
    expect(record).toMatchObject({ age: 30, healthEducationTopics: 0, bphsIndex: 0, integrationIndex: null });
  });

  test('leaves the variables of a wave that did not ask them missing', () => {
    const record = deriveRespondentVariables({ wave: 2014, age: 33 });
    expect(record).toMatchObject({ healthEducationTopics: null, bphsIndex: null, integrationIndex: null });
  });
});
