## Start and menu
start-greeting =
    Здравствуйте, { $name }! Это Цветы.kz 💐
    Выберите букет в каталоге, пришлите фото понравившегося букета или напишите, что ищете, например «розы».
menu-catalog = 💐 Каталог
menu-photo = 📷 Поиск по фото
menu-orders = 📦 Мои заказы
menu-help = ❓ Помощь
menu-language = 🌐 Язык
help =
    Как заказать: откройте каталог или напишите слово («розы», «эустома»), нажмите «Заказать» под букетом и ответьте на несколько вопросов.
    Оплата — через Kaspi: счёт придёт на ваш номер.
    /orders — ваши заказы, /language — язык, /start — главное меню.
unhandled = Не понял вас 🙂 Выберите пункт меню или напишите, какие цветы ищете.
rate-limited = Слишком много сообщений подряд. Подождите несколько секунд, пожалуйста.
error-generic = Что-то пошло не так. Попробуйте ещё раз чуть позже.

## Language
language-choose = Выберите язык / Тілді таңдаңыз
language-changed = Готово, теперь говорим по-русски.

## Catalog and search
catalog-empty = Каталог пока пуст. Загляните чуть позже!
card-size = Размер: { $size }
card-composition = Состав: { $composition }
card-order = 🛒 Заказать
search-found = По запросу «{ $query }» нашлось букетов: { $total }
search-nothing = По запросу «{ $query }» ничего не нашлось. Посмотрите каталог — там много красивого.
search-open-catalog = 💐 Открыть каталог

## Photo search
photo-ask = Пришлите фото букета — найдём такой же или похожий.
photo-exact = Нашли этот букет:
photo-similar = Похожие букеты:
photo-nothing = К сожалению, такого букета у нас нет. Посмотрите каталог — может, что-то понравится?
photo-failed = Не получилось обработать фото. Попробуйте прислать его ещё раз.

## Orders
orders-none = У вас пока нет заказов.
orders-title = Ваши заказы:
orders-line = { $trackingId } · { $status } · { $total } · { $date } { $slot }
orders-details = ℹ️ { $trackingId }
orders-cancel = ✖️ Отменить { $trackingId }
order-details =
    Заказ { $trackingId }: { $status }
    { $items }
    Итого: { $total }
    Когда: { $date } { $slot }
    Оплата: { $payment }
order-not-found = Заказ не найден.
order-cancelled = Заказ { $trackingId } отменён.
order-cancel-refused = Заказ { $trackingId } уже нельзя отменить: { $status }.
status-new = новый
status-awaiting_payment = ожидает оплаты
status-paid = оплачен
status-accepted = принят флористом
status-assembled = собран
status-in_delivery = в доставке
status-delivered = доставлен
status-cancelled = отменён
payment-none = не выставлена
payment-requested = ожидаем оплату в Kaspi
payment-paid = оплачено
payment-failed = не прошла
payment-expired = время истекло
payment-refund_pending = возврат в обработке
payment-refunded = деньги возвращены

## Checkout
checkout-unavailable = Этого букета сейчас нет в наличии. Посмотрите другие в каталоге.
checkout-start = Оформляем «{ $title }» — { $price } за штуку. Ответьте на несколько вопросов; «Назад» вернёт к предыдущему, «Отменить» прервёт оформление.
checkout-back = ⬅️ Назад
checkout-abandon = ✖️ Отменить
checkout-abandoned = Оформление отменено. Возвращайтесь, когда захотите!
checkout-expired = Оформление заказа устарело и было отменено. Начните заново из каталога.
checkout-already-done = Этот заказ уже оформлен или оформление закрыто.
checkout-quantity = Сколько букетов? Выберите или напишите число от 1 до 99.
checkout-quantity-invalid = Нужно целое число от 1 до 99. Сколько букетов?
checkout-recipient-name = Как зовут получателя?
checkout-recipient-name-invalid = Напишите имя получателя текстом — от 2 до 100 символов.
checkout-recipient-phone = Телефон получателя? Например, +7 701 123 45 67.
checkout-recipient-phone-invalid = Это не похоже на казахстанский номер. Напишите в виде +7 701 123 45 67 или 8 701 123 45 67.
checkout-delivery-type = Доставка или самовывоз?
checkout-delivery = 🚚 Доставка
checkout-pickup = 🏪 Самовывоз
checkout-delivery-type-invalid = Выберите кнопкой: «Доставка» или «Самовывоз».
checkout-address = Адрес доставки: город, улица, дом, квартира. Или отправьте геолокацию.
checkout-address-location = 📍 Отправить геолокацию
checkout-address-invalid = Напишите адрес полностью (от 5 до 300 символов) или отправьте геолокацию.
checkout-date = Когда доставить?
checkout-today = Сегодня
checkout-tomorrow = Завтра
checkout-other-date = Другая дата
checkout-date-enter = Напишите дату в виде ДД.ММ, например 08.03.
checkout-date-invalid = Не понял дату. Напишите её в виде ДД.ММ или ДД.ММ.ГГГГ, например 08.03.
checkout-date-past = Эта дата уже прошла. Выберите сегодня или позже.
checkout-date-too-far = Принимаем заказы не дальше чем на 90 дней вперёд. Выберите дату ближе.
checkout-date-no-slots = На эту дату свободного времени уже нет. Выберите другую дату.
checkout-slot = Выберите время доставки на { $date }.
checkout-slot-invalid = Выберите время кнопкой из списка.
checkout-card = Текст открытки? Напишите его или нажмите «Без открытки».
checkout-no-card = Без открытки
checkout-card-too-long = Текст открытки слишком длинный: не больше 500 символов.
checkout-phone = Поделитесь своим номером кнопкой ниже: на него придёт счёт Kaspi.
checkout-phone-button = 📱 Поделиться номером
checkout-phone-use-button = Нажмите кнопку «Поделиться номером» — так мы будем уверены, что номер ваш.
checkout-phone-not-yours = Это чужой контакт. Нажмите «Поделиться номером», чтобы отправить свой.
checkout-phone-invalid = Принимаем номера Казахстана (+7). Поделитесь, пожалуйста, другим номером.
summary-title = Проверьте заказ:
summary-item = { $title } × { $quantity } = { $amount }
summary-fee = Доставка: { $fee }
summary-total = Итого: { $total }
summary-recipient = Получатель: { $name }, { $phone }
summary-address = Адрес: { $address }
summary-pickup = Самовывоз из магазина
summary-when = Когда: { $date }, { $slot }
summary-card = Открытка: { $text }
summary-phone = Ваш телефон (Kaspi): { $phone }
checkout-confirm = ✅ Подтвердить
checkout-confirm-hint = Нажмите «Подтвердить», чтобы оформить заказ.
checkout-placed = Заказ { $trackingId } оформлен! Сумма: { $total }. Сейчас пришлём счёт в Kaspi — статус будем сообщать здесь.
checkout-invalid-order = Не получилось оформить: { $reason }. Выберите, пожалуйста, другую дату или время.
checkout-product-gone = Этот букет только что закончился. Посмотрите другие в каталоге.
checkout-failed = Не получилось оформить заказ из-за сбоя. Нажмите «Подтвердить» ещё раз чуть позже.
