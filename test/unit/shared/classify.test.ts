import { classifyComplaint } from '@shared/tickets/classify';

const complaint = (overrides: Partial<Parameters<typeof classifyComplaint>[0]> = {}) =>
  classifyComplaint({ subject: 'Help', description: '', recentComplaints: 0, ...overrides });

describe('classifyComplaint', () => {
  it('keeps the category and priority the marketplace sent', () => {
    expect(complaint({ category: 'payment', priority: 'low', subject: 'parcel never delivered' })).toEqual({
      category: 'payment',
      priority: 'low',
      repeat: false,
      escalationTier: 0,
    });
  });

  it.each([
    ['The parcel was never delivered', 'logistics'],
    ['快递三天没动', 'logistics'],
    ['Screen arrived broken', 'product_quality'],
    ['I was charged twice', 'payment'],
    ['I want to return it', 'after_sales'],
    ['The agent was rude', 'service_attitude'],
    ['Please cancel my order', 'order'],
    ['Something else entirely', 'other'],
  ])('reads the category of %p from the text', (subject, category) => {
    expect(complaint({ subject }).category).toBe(category);
  });

  it('raises a repeat complaint one priority level and sends it to a supervisor', () => {
    expect(complaint({ recentComplaints: 2 })).toMatchObject({ repeat: true, priority: 'high', escalationTier: 1 });
    expect(complaint({ recentComplaints: 1, priority: 'urgent' })).toMatchObject({ priority: 'urgent' });
  });

  it('sends high and urgent complaints to a supervisor', () => {
    expect(complaint({ priority: 'high' })).toMatchObject({ escalationTier: 1, repeat: false });
    expect(complaint({ priority: 'urgent' })).toMatchObject({ escalationTier: 1 });
  });
});
