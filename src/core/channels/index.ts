// Channels as drivers: one file per channel (email, call, linkedin, sms, task), one registry.
// Ask the registry which channels exist, what a step on one needs and which outcomes it offers.
export type { Channel, ChannelDriver, ChannelIds, ContactAddress, OpenLinkAction, RepAction, TemplateField, TemplateSlot, TimeWindow } from './driver.ts';
export {
  channelDriver,
  channelDrivers,
  channelIds,
  channelLabel,
  channelsActing,
  isChannel,
  outcomeAllowed,
  outcomesAllowed,
  outcomesFor,
  perChannel,
  registerChannel,
  registryVersion,
  templateFieldsFor,
} from './registry.ts';
export { actionLink, type ActionLink, type ContactDetails } from './links.ts';
