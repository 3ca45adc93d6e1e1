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
    Как заказать: откройте каталог или напишите слово («розы», «эустома»), нажмите «Заказать» под букетом и ответьте на пару вопросов.
    Оплата — через Kaspi: счёт придёт на ваш номер.
    /catalog — каталог, /orders — ваши заказы, /language — язык, /start — главное меню.
unhandled = Не понял вас 🙂 Выберите пункт меню или напишите, какие цветы ищете.
rate-limited = Слишком много сообщений подряд. Подождите несколько секунд, пожалуйста.
error-generic = Что-то пошло не так. Попробуйте ещё раз чуть позже.
order-busy = Не получилось сразу подтвердить изменение заказа { $trackingId }: сервис заказов сейчас занят. Если в течение пары минут ничего не изменится, пожалуйста, попробуйте ещё раз.
command-start = Главное меню
command-catalog = Каталог букетов
command-orders = Мои заказы
command-language = Язык
command-help = Помощь

## The shop
shop-info =
    Цветы.kz
    Адрес: { $address }
    Часы работы: каждый день { $hours }
    Телефон: { $phone }
shop-contact = 📞 Связаться с магазином

## Language
language-choose = Выберите язык / Тілді таңдаңыз
language-changed = Готово, теперь говорим по-русски.

## Catalog and search
catalog-empty = Каталог пока пуст. Загляните чуть позже!
card-size = Размер: { $size }
card-composition = Состав: { $composition }
card-order = 🛒 Заказать
card-filters = 🔎 Подобрать по цветам и цене
catalog-filters = Что показать?
catalog-filter-empty = Таких букетов сейчас нет. Попробуйте другой выбор.
filter-all = 💐 Все букеты
filter-rose = 🌹 Розы
filter-tulip = 🌷 Тюльпаны
filter-peony = Пионы
filter-hydrangea = Гортензии
filter-chrysanthemum = Хризантемы
filter-cheap = до 15 000 ₸
filter-middle = 15 000 – 30 000 ₸
filter-premium = от 30 000 ₸
search-found = По запросу «{ $query }» нашлось букетов: { $total }
search-nothing = По запросу «{ $query }» ничего не нашлось. Посмотрите каталог — там много красивого.
search-open-catalog = 💐 Открыть каталог
product-not-found = Этого букета уже нет. Посмотрите другие в каталоге.

## Photo search
photo-ask = Пришлите фото букета — найдём такой же или похожий.
photo-exact = Нашли этот букет:
photo-similar = Похожие букеты:
photo-nothing = К сожалению, такого букета у нас нет. Посмотрите каталог — может, что-то понравится?
photo-failed = Не получилось обработать фото. Попробуйте прислать его ещё раз.
photo-not-image = Это не похоже на фото. Пришлите изображение JPEG, PNG или WebP.

## Orders
orders-none = У вас пока нет заказов.
orders-title = Ваши заказы:
orders-line = { $trackingId } · { $status } · { $total } · { $date } { $slot }
orders-details = ℹ️ { $trackingId }
orders-cancel = ✖️ Отменить
orders-repeat = 🔁 Повторить
order-details =
    Заказ { $trackingId }: { $status }
    { $items }
    Итого: { $total }
    Когда: { $date } { $slot }
    Оплата: { $payment }
order-not-found = Заказ не найден.
order-cancel-confirm = Вы уверены, что хотите отменить заказ { $trackingId }? Если он оплачен, деньги вернутся на Kaspi.
order-cancel-yes = Да, отменить
order-cancel-no = Нет, оставить
order-kept = Хорошо, заказ { $trackingId } остаётся в силе.
order-cancelled = Заказ { $trackingId } отменён.
order-cancel-refused = Заказ { $trackingId } уже нельзя отменить: { $status }.
order-details-button = ℹ️ Подробнее
order-cancel-button = ✖️ Отменить заказ
order-repay-button = 💳 Счёт не пришёл / другой номер
order-reorder-button = 🔁 Оформить заново
order-repeat-button = 🔁 Повторить заказ
repay-ask = На какой номер прислать новый счёт Kaspi за заказ { $trackingId }? Поделитесь контактом или напишите номер +7.
repay-sent = Отправили новый счёт за заказ { $trackingId } на { $phone }. Прежний счёт отозван.
repay-already = Счёт за заказ { $trackingId } на { $phone } мы отправили только что: откройте Kaspi.kz → Уведомления. Если через пару минут его там нет, попросите новый счёт ещё раз.
repay-unavailable = Сейчас не получается выставить новый счёт. Свяжитесь с магазином: { $phone }.
repay-not-awaiting = Заказ { $trackingId } уже не ждёт оплаты: { $status }.
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
checkout-start = Оформляем «{ $title }» — { $price }.
checkout-delivery-type = Доставка или самовывоз? { $pickupInfo }
checkout-delivery = 🚚 Доставка · { $fee }
checkout-pickup = 🏪 Самовывоз · бесплатно
checkout-pickup-info = Самовывоз: { $address }, каждый день { $hours }.
checkout-abandon = ✖️ Отменить
checkout-abandoned = Оформление отменено. Возвращайтесь, когда захотите!
checkout-expired = Оформление заказа устарело и было отменено. Начните заново из каталога.
checkout-left = Оформление «{ $title }» приостановлено. Продолжить можно кнопкой ниже.
checkout-resume = ▶️ Продолжить оформление
checkout-nothing-to-resume = Незаконченного оформления нет. Выберите букет в каталоге.
checkout-already-done = Этот заказ уже оформлен или оформление закрыто.
checkout-use-buttons = Выберите вариант кнопкой под сообщением.
checkout-address = Адрес доставки: город, улица, дом, квартира. Или отправьте геолокацию.
checkout-address-location = 📍 Отправить геолокацию
checkout-address-invalid = Напишите адрес полностью (от 5 до 300 символов) или отправьте геолокацию.
checkout-recipient = Кто получит букет? Нажмите «Я получатель» или напишите имя получателя.
checkout-recipient-self = 🙋 Я получатель
checkout-recipient-name-invalid = Напишите имя получателя текстом — от 2 до 100 символов.
checkout-recipient-phone = Телефон получателя ({ $name })? Например, +7 701 123 45 67.
checkout-recipient-phone-invalid = Это не похоже на казахстанский номер. Напишите в виде +7 701 123 45 67 или 8 701 123 45 67.
checkout-date-delivery = Когда доставить? Выберите день или напишите дату в виде ДД.ММ.
checkout-date-pickup = Когда заберёте? Выберите день или напишите дату в виде ДД.ММ.
checkout-today = Сегодня
checkout-tomorrow = Завтра
checkout-day = { $name }, { $weekday } { $date }
weekday-0 = вс
weekday-1 = пн
weekday-2 = вт
weekday-3 = ср
weekday-4 = чт
weekday-5 = пт
weekday-6 = сб
checkout-date-invalid = Не понял дату. Выберите день кнопкой или напишите дату в виде ДД.ММ, например 08.03.
checkout-date-past = Эта дата уже прошла. Выберите сегодня или позже.
checkout-date-too-far = Принимаем заказы не дальше чем на 90 дней вперёд. Выберите дату ближе.
checkout-date-no-slots = На эту дату свободного времени уже нет. Выберите другой день.
checkout-slot = Выберите время на { $date }.
checkout-other-day = ⬅️ Другой день
checkout-slot-invalid = Выберите время кнопкой из списка.
checkout-phone = На какой номер выставить счёт Kaspi? Поделитесь контактом кнопкой ниже или напишите номер +7.
checkout-phone-saved = На какой номер выставить счёт Kaspi? Нажмите { $phone } или напишите другой номер +7.
checkout-phone-button = 📱 Поделиться контактом
checkout-phone-confirm = Счёт Kaspi придёт на { $phone }. Верно?
checkout-phone-yes = ✅ Да, верно
checkout-phone-other = ✏️ Другой номер
checkout-phone-invalid = Это не похоже на казахстанский номер. Напишите в виде +7 701 123 45 67 или поделитесь контактом.
checkout-quantity = Сколько букетов? Напишите число от 1 до 99.
checkout-quantity-invalid = Нужно целое число от 1 до 99. Сколько букетов?
checkout-card = Текст открытки? Напишите его или нажмите «Без открытки».
checkout-no-card = Без открытки
checkout-card-too-long = Текст открытки слишком длинный: не больше 500 символов.
summary-title = Проверьте заказ:
summary-item = { $title } × { $quantity } = { $amount }
summary-fee = Доставка: { $fee }
summary-total = Итого: { $total }
summary-recipient = Получатель: { $name }, { $phone }
summary-address = Адрес: { $address }
summary-pickup = Самовывоз: { $address }, каждый день { $hours }
summary-when = Когда: { $date }, { $slot }
summary-card = Открытка: { $text }
summary-phone = Счёт Kaspi на номер: { $phone }
edit-quantity = ✏️ Количество
edit-type = ✏️ Доставка / самовывоз
edit-address = ✏️ Адрес
edit-recipient = ✏️ Получатель
edit-when = ✏️ Дата и время
edit-card = ✉️ Открытка
edit-phone = ✏️ Телефон
checkout-confirm = ✅ Подтвердить
checkout-confirm-hint = Нажмите «Подтвердить», чтобы оформить заказ, или «Изменить» у нужного поля.
checkout-placed = Заказ { $trackingId } оформлен! Сумма: { $total }. Сейчас придёт счёт в Kaspi — статус будем сообщать здесь.
checkout-slot-full = На это время заказов уже достаточно, свободных мест нет. Выберите другое время.
checkout-rejected-slot = Это время уже недоступно. Выберите, пожалуйста, другое.
checkout-rejected-date = На эту дату оформить заказ нельзя. Выберите другой день.
checkout-rejected-recipient = Укажите, пожалуйста, получателя.
checkout-rejected-address = Укажите, пожалуйста, адрес доставки.
checkout-rejected = Не получилось оформить заказ с такими данными. Проверьте их и подтвердите ещё раз.
checkout-product-gone = Этот букет только что закончился. Посмотрите другие в каталоге.
checkout-failed = Не получилось оформить заказ из-за сбоя. Нажмите «Подтвердить» ещё раз чуть позже.
checkout-busy = Заказ { $trackingId } принят, но сервис заказов сейчас занят и ещё не подтвердил его. Как только подтвердит, сюда придёт счёт в Kaspi. Можно через минуту нажать «Подтвердить» ещё раз: второй заказ не появится.

## Notifications (sent by the order workflow)
notify-new = Заказ { $trackingId } принят. Сумма: { $total }.
notify-awaiting_payment =
    { $deadline ->
        [none] Оплатите заказ { $trackingId }: мы отправили счёт на { $total } в Kaspi на номер { $phone }.
       *[other] Оплатите заказ { $trackingId } до { $deadline }: мы отправили счёт на { $total } в Kaspi на номер { $phone }.
    } Откройте приложение Kaspi.kz → Уведомления и подтвердите оплату.
notify-payment_reminder =
    { $deadline ->
        [none] Напоминаем: заказ { $trackingId } ждёт оплаты в Kaspi ({ $total }).
       *[other] Напоминаем: оплатите заказ { $trackingId } до { $deadline } — иначе он отменится. Счёт на { $total } ждёт в Kaspi.
    } Если счёт не пришёл, нажмите кнопку ниже.
notify-paid = Оплата заказа { $trackingId } получена. Спасибо!
notify-accepted = Флорист принял заказ { $trackingId } в работу.
notify-assembled = Букет по заказу { $trackingId } готов!
notify-assembled-pickup = Букет по заказу { $trackingId } готов — можно забирать!
notify-in_delivery = Курьер уже везёт заказ { $trackingId }.
notify-in_delivery-pickup = Заказ { $trackingId } ждёт вас в магазине — можно забирать.
notify-delivered = Заказ { $trackingId } доставлен. Спасибо, что выбрали нас!
notify-delivered-pickup = Заказ { $trackingId } выдан. Спасибо, что выбрали нас!
notify-cancelled = Заказ { $trackingId } отменён: { $reason }.
notify-refunded = Деньги за заказ { $trackingId } возвращены на ваш Kaspi.
notify-photo-link = Фото букета: { $url }
cancel-reason-payment_expired = время оплаты истекло
cancel-reason-payment_failed = оплата не прошла
cancel-reason-customer = по вашей просьбе
cancel-reason-shop = магазином
cancel-reason-other = заказ отменён

## Delivery day: the photo to approve, the morning reminder, the rating
notify-approval_request =
    Букет по заказу { $trackingId } готов — вот он! Всё ли нравится? Курьер выедет после вашего ответа (или через час, если ответа не будет).
notify-approval_timed_out = Мы не дождались вашего ответа по фото букета, поэтому передаём заказ { $trackingId } курьеру таким, как на фото. Спасибо!
notify-approval_timed_out-pickup = Мы не дождались вашего ответа по фото букета, поэтому заказ { $trackingId } ждёт вас в магазине таким, как на фото. Спасибо!
notify-delivery_reminder = Сегодня доставим заказ { $trackingId }: { $slot }, получатель — { $recipient }, адрес: { $address }.
notify-delivery_reminder-pickup = Сегодня заказ { $trackingId } можно забрать в магазине: { $slot }.
notify-rating_request = Как вам заказ { $trackingId }? Оцените, пожалуйста, от 1 до 5 звёзд.
approval-approve-button = 👍 Всё отлично
approval-change-button = ✏️ Попросить изменить
approval-approved = Спасибо! Передали курьеру — заказ { $trackingId } скоро будет в пути.
approval-change-ask = Напишите коротко, что изменить в букете (одним сообщением).
approval-change-sent = Передали флористу. Пришлём новое фото, как только букет будет готов.
approval-too-late = Этот вопрос по заказу { $trackingId } уже неактуален.
rating-star-button = { $stars }⭐
rating-thanks-ask = Спасибо за оценку! Если хотите, напишите комментарий в течение получаса — или нажмите «Без комментария».
rating-no-comment-button = Без комментария
rating-thanks = Спасибо за отзыв! Будем рады видеть вас снова 💐
rating-too-late = Оценку по заказу { $trackingId } уже не принять. Спасибо!
customer-words-too-long = Слишком длинно: уложитесь, пожалуйста, в 500 символов.
