import { formatTenge } from '../common/money';
import type { Language, OrderView } from '../common/order';

export type NotificationEvent = OrderView['status'] | 'refunded' | 'payment_reminder';

type Texts = Record<NotificationEvent, (o: OrderView) => string>;

const cancelReasonRu: Record<string, string> = {
  payment_expired: 'время оплаты истекло',
  payment_failed: 'оплата не прошла',
  customer: 'по вашей просьбе',
  shop: 'магазином',
};
const cancelReasonKk: Record<string, string> = {
  payment_expired: 'төлем уақыты өтті',
  payment_failed: 'төлем өтпеді',
  customer: 'сіздің өтінішіңіз бойынша',
  shop: 'дүкен тарапынан',
};

const ru: Texts = {
  new: (o) => `Заказ ${o.trackingId} принят. Сумма: ${formatTenge(o.totalKopecks)}.`,
  awaiting_payment: (o) =>
    `Оплатите заказ ${o.trackingId}: мы отправили счёт на ${formatTenge(o.totalKopecks)} в Kaspi на номер ${o.customer.phone}. Откройте приложение Kaspi.kz → Уведомления и подтвердите оплату.`,
  paid: (o) => `Оплата заказа ${o.trackingId} получена. Спасибо!`,
  accepted: (o) => `Флорист принял заказ ${o.trackingId} в работу.`,
  assembled: (o) => `Букет по заказу ${o.trackingId} готов!`,
  in_delivery: (o) => `Курьер уже везёт заказ ${o.trackingId}.`,
  delivered: (o) => `Заказ ${o.trackingId} доставлен. Спасибо, что выбрали нас!`,
  cancelled: (o) => `Заказ ${o.trackingId} отменён: ${cancelReasonRu[o.cancelReason ?? ''] ?? 'отмена'}.`,
  refunded: (o) => `Деньги за заказ ${o.trackingId} возвращены на ваш Kaspi.`,
  payment_reminder: (o) => `Напоминаем: счёт за заказ ${o.trackingId} ждёт оплаты в Kaspi.`,
};

const kk: Texts = {
  new: (o) => `${o.trackingId} тапсырысы қабылданды. Сомасы: ${formatTenge(o.totalKopecks)}.`,
  awaiting_payment: (o) =>
    `${o.trackingId} тапсырысын төлеңіз: ${o.customer.phone} нөміріне Kaspi-ге ${formatTenge(o.totalKopecks)} шот жібердік. Kaspi.kz қосымшасында → Хабарламалар бөлімінде төлемді растаңыз.`,
  paid: (o) => `${o.trackingId} тапсырысының төлемі алынды. Рақмет!`,
  accepted: (o) => `Флорист ${o.trackingId} тапсырысын жұмысқа алды.`,
  assembled: (o) => `${o.trackingId} тапсырысы бойынша гүл шоғы дайын!`,
  in_delivery: (o) => `Курьер ${o.trackingId} тапсырысын жеткізіп келеді.`,
  delivered: (o) => `${o.trackingId} тапсырысы жеткізілді. Бізді таңдағаныңызға рақмет!`,
  cancelled: (o) => `${o.trackingId} тапсырысы тоқтатылды: ${cancelReasonKk[o.cancelReason ?? ''] ?? 'тоқтатылды'}.`,
  refunded: (o) => `${o.trackingId} тапсырысының ақшасы Kaspi-ге қайтарылды.`,
  payment_reminder: (o) => `Еске саламыз: ${o.trackingId} тапсырысының шоты Kaspi-де төлемді күтуде.`,
};

export const notificationText = (event: NotificationEvent, language: Language, order: OrderView): string =>
  (language === 'kk' ? kk : ru)[event](order);
